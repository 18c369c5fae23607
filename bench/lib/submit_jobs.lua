-- wrk script for the end-to-end scenario: POSTs every line of $FQB_JOBS (one JSON body per line,
-- each job a unique URL) exactly once, over all of wrk's connections, then stops. Run with -t1.
-- Once every job has an answer it writes "<accepted> <failed>" to $FQB_DONE (bench/run.sh then
-- ends wrk). Connections that ask for a request after the last job was sent get a cheap GET of a
-- job id that does not exist (404), which is not counted: wrk needs some request to send.
local jobs = {}
for line in io.lines(os.getenv("FQB_JOBS")) do jobs[#jobs + 1] = line end
local total = #jobs
local next_job = 1
local accepted, failed = 0, 0
local filler = nil
local auth = os.getenv("FQB_AUTH")
local post_headers = { ["Content-Type"] = "application/json", ["Authorization"] = auth }

local first_call = true

function request()
  -- wrk 4.1 drops the request of the very first call (seen as a reset connection on the server):
  -- spend that call on the filler, so no job is lost to it.
  if first_call then
    first_call = false
    filler = wrk.format("GET", "/jobs/00000000-0000-7000-8000-000000000000",
                        { ["Authorization"] = auth })
    return filler
  end
  if next_job <= total then
    local body = jobs[next_job]
    next_job = next_job + 1
    return wrk.format("POST", "/jobs", post_headers, body)
  end
  -- built here, not at load time: wrk.host (the Host header) is only known once the thread runs
  filler = filler or wrk.format("GET", "/jobs/00000000-0000-7000-8000-000000000000",
                                { ["Authorization"] = auth })
  return filler
end

function response(status, headers, body)
  if status == 202 then
    accepted = accepted + 1
  elseif status == 404 then
    return -- the filler: POST /jobs never answers 404
  else
    failed = failed + 1
    if failed <= 5 then io.stderr:write("POST /jobs answered ", status, ": ", body, "\n") end
  end
  if accepted + failed == total then
    local f = io.open(os.getenv("FQB_DONE"), "w")
    f:write(accepted, " ", failed, "\n")
    f:close()
    wrk.thread:stop()
  end
end
