// Shared by the Node peers: the port option and the readiness probe.

/** `--port P` from the command line, else the PORT environment variable, else the default. */
export function parsePort(defaultPort) {
  const i = process.argv.indexOf('--port');
  const raw = i >= 0 ? process.argv[i + 1] : process.env.PORT;
  const port = Number(raw ?? defaultPort);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error(`invalid port: ${raw}`);
    process.exit(2);
  }
  return port;
}

/** Answers `GET /health` with 200 (run.sh waits on it); returns false for any other request. */
export function answerHealth(req, res) {
  if (req.method !== 'GET' || req.url !== '/health') return false;
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
  return true;
}
