// embed.html: query parameters become the element's attributes
// (?clock=virtual&speed=2&autorun=1&readonly=1&example=race&theme=dark&height=240px&t=1.5s,
// no-python=1 to hide the Python view, python-style=notebook),
// JupyterLite-style. The element is defined afterwards so it starts with them.

const params = new URLSearchParams(location.search);
const element = document.querySelector("async-playground");
const FLAGS = ["autorun", "readonly", "no-python"];
const VALUES = ["clock", "speed", "example", "theme", "height", "python-style", "t"];

for (const flag of FLAGS) {
  const value = params.get(flag);
  if (value !== null && value !== "0" && value !== "false") element.setAttribute(flag, "");
}
for (const name of VALUES) {
  const value = params.get(name);
  if (value) element.setAttribute(name, value);
}

await import("./async-playground.js");
