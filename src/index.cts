/**
 * The CommonJS entry: `require("eleventy-plugin-amazon-links")` in a CommonJS eleventy.config.js (the
 * default in a project made by `npm init`, which writes "type": "commonjs").
 *
 * The package is ESM. Where Node can require() it (20.19+, 22.12+), this is the ESM package's plugin with
 * every named export beside it. Where it cannot, the plugin loads the ESM package on first use: Eleventy
 * awaits plugins that return a promise (and the plugin is async anyway, it reads the config file); the
 * named exports are then reached with `await import("eleventy-plugin-amazon-links")`.
 */
type EsmPackage = typeof import("./index.js", { with: { "resolution-mode": "import" }});
type Plugin = EsmPackage["default"];

function requireEsm(): EsmPackage | undefined {
  try {
    return require("./index.js") as EsmPackage;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_REQUIRE_ESM") return undefined;
    throw error;
  }
}

const esm = requireEsm();

/** Same name and options as the ESM plugin, so Eleventy sees one plugin (`unique`) whichever way it came. */
const amazonLinksPlugin = function amazonLinksPlugin(...args: Parameters<Plugin>): ReturnType<Plugin> {
  if (esm) return esm.default(...args);
  return import("./index.js").then((loaded: EsmPackage) => loaded.default(...args));
};
const entry = Object.assign(amazonLinksPlugin, esm ? { ...esm } : {}, {
  default: amazonLinksPlugin,
  eleventyPluginOptions: { unique: true },
}) as Plugin & Omit<EsmPackage, "default"> & { default: Plugin; eleventyPluginOptions: { unique: boolean } };

export = entry;
