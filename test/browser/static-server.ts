/**
 * A static file server on 127.0.0.1 for the browser tests: pages opened over http behave as
 * they do when hosted (module scripts, `fetch`, same-origin rules), which `file://` does not
 * guarantee. Serves `root` only; paths escaping it get 403, missing files 404.
 */
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".map": "application/json",
  ".png": "image/png",
};

/** A running server: its base URL (ending in `/`) and how to stop it. */
export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the files under `root` until `close()` is called, and `pages` (path → HTML) beside
 * them, for a test page that loads the files.
 */
export async function serveDirectory(
  root: string,
  pages: Readonly<Record<string, string>> = {},
): Promise<StaticServer> {
  const base = normalize(root + sep);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    const page = pages[path];
    if (page !== undefined) {
      res.writeHead(200, { "content-type": types[".html"] }).end(page);
      return;
    }
    if (path === "/favicon.ico") {
      // Chromium asks every site for one; the sites served here do not have one.
      res.writeHead(204).end();
      return;
    }
    let file = normalize(join(base, path));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
