-- wrk reporter: prints the latency percentiles Tacit's targets are stated in, and every kind of error.
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("p%d %.1f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max %.1f ms, %.0f requests/s\n", latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
