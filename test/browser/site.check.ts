/**
 * The typedoc site, the project's front door, checked in a real headless Chromium (issue 15):
 * the landing page renders the README, every guide in docs/*.md is a page that loads and
 * renders its title, and a crawl of every page reached from the landing page finds no
 * internal link to a missing page or a missing anchor.
 *
 * It checks the site `npm run docs` built (docs/api, with validation on and warnings as
 * errors), so it runs after it: `npm run test:browser` (a CI step of .ci/run), not in
 * `npm test`. Skipped only when the machine has no Chromium; CI always installs one.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "./chromium.js";
import { type StaticServer, serveDirectory } from "./static-server.js";

/** Where `npm run docs` writes the site (typedoc.json's `out`). */
const siteDir = process.env.WAKEFUL_SITE_DIR ?? "docs/api";

const guides = readdirSync("docs")
  .filter((f) => f.endsWith(".md"))
  .map((f) => ({
    file: f,
    page: `documents/${basename(f, ".md").toLowerCase()}.html`,
    title: /^# (.+)$/m.exec(readFileSync(join("docs", f), "utf8"))?.[1] ?? "",
  }));

/** What a page's own markup says: its links (resolved) and the anchors it offers. */
async function pageFacts(page: Page): Promise<{ links: string[]; anchors: string[] }> {
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href") ?? ""));
  const anchors = await page.$$eval("[id], a[name]", (es) =>
    es.map((e) => e.getAttribute("id") || e.getAttribute("name") || ""),
  );
  return { links: hrefs.map((h) => new URL(h, page.url()).href), anchors };
}

/** Markdown inline code and emphasis as the rendered page shows them, for title checks. */
const plainText = (markdown: string) => markdown.replace(/[`*_]/g, "");

describe.skipIf(!hasChromium)("the docs site in Chromium", () => {
  let server: StaticServer;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(siteDir, "index.html"))) {
      throw new Error(`no site in ${siteDir}: run \`npm run docs\` first`);
    }
    server = await serveDirectory(siteDir);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    page.on("pageerror", (e) => problems.push(`${path}: ${e}`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`${path}: ${r.url()}: HTTP ${r.status()}`);
    });
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`${path}: console: ${m.text()}`);
    });
    const response = await page.goto(server.url + path, { waitUntil: "load" });
    expect(response?.status(), path).toBe(200);
    return page;
  }

  it("renders the README as the landing page, with the guides linked as site pages", async () => {
    const page = await open("index.html");
    const readme = readFileSync("README.md", "utf8");
    const headings = [...readme.matchAll(/^##? (.+)$/gm)].map((m) => plainText(m[1] ?? ""));
    expect(headings.length).toBeGreaterThan(3);
    const shown = await page.$$eval(".tsd-typography h1, .tsd-typography h2", (hs) =>
      hs.map((h) => h.textContent?.trim()),
    );
    expect(shown).toEqual(headings);
    const { links } = await pageFacts(page);
    for (const guide of guides) {
      expect(links, `README links ${guide.file}`).toContain(server.url + guide.page);
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("has a page for every guide in docs/, showing its title", async () => {
    expect(guides.length).toBeGreaterThanOrEqual(4);
    for (const guide of guides) {
      const page = await open(guide.page);
      expect(await page.locator(".tsd-typography h1").first().textContent()).toBe(
        plainText(guide.title),
      );
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it("groups each module's exports by category, none left uncategorised", async () => {
    const { categoryOfDirectory } = (await import(
      // @ts-expect-error: a plain JavaScript typedoc plugin, without declarations
      "../../scripts/typedoc-categories.mjs"
    )) as { categoryOfDirectory: Record<string, string> };
    const known = new Set(Object.values(categoryOfDirectory));
    for (const module of ["wakeful", "wakeful_executor", "wakeful_testing", "wakeful_node"]) {
      const page = await open(`modules/${module}.html`);
      const categories = await page.$$eval("details.tsd-member-group > summary h2", (hs) =>
        hs.map((h) => h.textContent?.trim() ?? ""),
      );
      expect(categories.length, module).toBeGreaterThan(0);
      expect(
        categories.filter((c) => !known.has(c)),
        module,
      ).toEqual([]);
      await page.close();
    }
    // In the order of the layers (typedoc.json's categoryOrder follows the plugin's table).
    const page = await open("modules/wakeful.html");
    const main = await page.$$eval("details.tsd-member-group > summary h2", (hs) =>
      hs.map((h) => h.textContent?.trim() ?? ""),
    );
    expect(main).toEqual([...known].filter((c) => main.includes(c)));
    expect(main.slice(0, 2)).toEqual(["Futures", "Tasks"]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("has no internal link to a missing page or anchor, crawling from the landing page", async () => {
    const anchorsOf = new Map<string, Set<string>>();
    const linksFrom = new Map<string, string[]>();
    const queue = [`${server.url}index.html`];
    const seen = new Set(queue);
    // Links and anchors are in the pages' HTML (the script-built sidebar repeats links found
    // there too), so the crawl runs without JavaScript, which makes each page several times
    // cheaper; the tests above load the landing page and guides with scripts and check them.
    const context = await browser.newContext({ javaScriptEnabled: false });
    /** One crawler: takes up to `pages` pages off the queue, stopping when it is empty. */
    const crawl = async (pages = Number.POSITIVE_INFINITY) => {
      const page = await context.newPage();
      // The machines have no outside network: only the site itself is loaded.
      await page.route(
        (url) => !url.href.startsWith(server.url),
        (route) => route.abort(),
      );
      for (let n = 0; n < pages && queue.length > 0; n++) {
        const url = queue.shift() as string;
        // Chromium fails the navigation itself on an error status with an empty body.
        const response = await page
          .goto(url, { waitUntil: "domcontentloaded" })
          .catch((e: Error) => e);
        if (response instanceof Error || response?.status() !== 200) {
          const status = response instanceof Error ? response.message : response?.status();
          problems.push(`${url}: ${status}`);
          anchorsOf.set(url, new Set());
          continue;
        }
        if (!url.endsWith(".html")) {
          anchorsOf.set(url, new Set());
          continue;
        }
        const facts = await pageFacts(page);
        anchorsOf.set(url, new Set(facts.anchors));
        const internal = facts.links.filter((l) => l.startsWith(server.url));
        linksFrom.set(url, internal);
        for (const link of internal) {
          const target = link.split("#")[0] as string;
          if (!seen.has(target)) {
            seen.add(target);
            queue.push(target);
          }
        }
      }
      await page.close();
    };
    // The landing page seeds the queue; then four crawlers share it. A crawler that finds the
    // queue empty stops, but the one that is mid-page keeps going and takes what it discovers.
    await crawl(1);
    await Promise.all([crawl(), crawl(), crawl(), crawl()]);
    await context.close();

    const broken: string[] = [];
    for (const [from, links] of linksFrom) {
      for (const link of links) {
        const [target, anchor] = link.split("#") as [string, string | undefined];
        const anchors = anchorsOf.get(target);
        if (anchors === undefined || problems.some((p) => p.startsWith(`${target}:`))) {
          broken.push(`${from} → ${link}`);
        } else if (anchor && !anchors.has(decodeURIComponent(anchor))) {
          broken.push(`${from} → ${link} (no such anchor)`);
        }
      }
    }
    const relative = (s: string) => s.replaceAll(server.url, "");
    expect(broken.map(relative)).toEqual([]);
    expect(problems).toEqual([]);
    // Every guide and every module page was reached from the landing page.
    for (const guide of guides) expect(anchorsOf.has(server.url + guide.page)).toBe(true);
    for (const module of ["wakeful", "wakeful_executor", "wakeful_testing", "wakeful_node"]) {
      expect(anchorsOf.has(`${server.url}modules/${module}.html`)).toBe(true);
    }
    expect(anchorsOf.size).toBeGreaterThan(100);
  }, 180_000);
});
