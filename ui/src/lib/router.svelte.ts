// A small hash router: the address after '#' names the page, so the back
// button and a bookmarked record work without a server.

export type Route = { area: string; parts: string[] };

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  return { area: parts[0] ?? "today", parts: parts.slice(1) };
}

export const route = $state<Route>(parseHash(typeof location === "undefined" ? "" : location.hash));

if (typeof window !== "undefined") {
  window.addEventListener("hashchange", () => {
    const next = parseHash(location.hash);
    route.area = next.area;
    route.parts = next.parts;
  });
}

export function go(path: string) {
  location.hash = "#/" + path.replace(/^\//, "");
}
