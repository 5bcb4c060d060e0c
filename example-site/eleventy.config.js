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
    report: { json: "example-site/.amazon-links/report.json" },
  });
}

export const config = {
  dir: { input: "example-site/content", includes: "../_includes", data: "../_data", output: "example-site/_site" },
  markdownTemplateEngine: "njk",
};
