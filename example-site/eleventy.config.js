// The example blog's Eleventy config: what a publisher writes.
import amazonLinks from "eleventy-plugin-amazon-links";

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(amazonLinks, {
    tags: {
      us: "examplesite-20",
      uk: "examplesite-21",
      de: ["examplesite0d-21", "examplesite-news-21"],
      fr: "examplesite08-21",
      ca: "examplesite0c-20",
      jp: "examplesite-22",
      au: "examplesite03-22",
      it: "examplesite01-21",
    },
    report: { json: "example-site/.amazon-links/report.json", html: "example-site/.amazon-links/report.html" },
    check: {
      lockfile: "example-site/amazon-links.lock.json",
      // `npm run example` routes checks to a local stand-in for Amazon (see build.mjs);
      // without it, checks go to Amazon itself.
      ...(process.env.AMAZON_LINKS_EXAMPLE_ENDPOINTS
        ? { endpoints: JSON.parse(process.env.AMAZON_LINKS_EXAMPLE_ENDPOINTS), interval: 0, retries: 0 }
        : {}),
    },
  });
}

export const config = {
  dir: { input: "example-site/content", includes: "../_includes", data: "../_data", output: "example-site/_site" },
  markdownTemplateEngine: "njk",
};
