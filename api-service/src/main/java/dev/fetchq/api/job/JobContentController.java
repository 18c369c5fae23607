package dev.fetchq.api.job;

import dev.fetchq.api.security.Caller;
import dev.fetchq.api.storage.Storage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Downloads of succeeded jobs, streamed from storage: never held in memory, with Content-Length and
 * byte-range requests handled by Spring's resource support.
 */
@Tag(name = "Jobs")
@RestController
class JobContentController {

  private final JobRepository jobs;
  private final Storage storage;

  JobContentController(JobRepository jobs, Storage storage) {
    this.jobs = jobs;
    this.storage = storage;
  }

  @Operation(summary = "Download the file of a succeeded job")
  @GetMapping("/jobs/{id}/content")
  ResponseEntity<Resource> content(@PathVariable UUID id, Caller caller) {
    Job job =
        jobs.findById(id)
            .filter(j -> caller.mayAccess(j.owner()))
            .orElseThrow(() -> JobProblems.notFound(id));
    if (job.status() != JobStatus.SUCCEEDED) {
      throw JobProblems.contentNotReady(id, job.status());
    }
    Path file = storage.find(job.storageKey()).orElseThrow(() -> JobProblems.contentGone(id));
    return ResponseEntity.ok()
        .contentType(mediaType(job.contentType()))
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            DownloadFilename.contentDisposition(job.filename(), job.id()))
        // The origin chose the content type: never let a browser sniff it into something active.
        .header("X-Content-Type-Options", "nosniff")
        .body(new FileSystemResource(file));
  }

  private static MediaType mediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return MediaType.APPLICATION_OCTET_STREAM;
    }
    try {
      return MediaType.parseMediaType(contentType);
    } catch (InvalidMediaTypeException e) {
      return MediaType.APPLICATION_OCTET_STREAM;
    }
  }
}
