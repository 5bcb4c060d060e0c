/**
 * remarkAmazonLinks: rewrite Amazon links in mdast — `link` nodes, `definition`
 * nodes (with rel and data attributes on the `linkReference`s that use them)
 * and `<a href>` tags in raw `html` nodes, byte for byte outside the tag.
 * Code (inline or fenced) holds no link nodes, so it is never touched.
 */
import type { Properties } from "hast";
import type { Definition, Html, Link, LinkReference, Root } from "mdast";
import type { Node } from "unist";
import type { VFile } from "vfile";
import { parseAmazonUrl } from "../amazon/parse.js";
import { decideLink } from "../rules/decide-link.js";
import type { ResolvedOptions } from "../rules/options.js";
import { inScope } from "../rules/scope.js";
import { HtmlSkeleton } from "./html-skeleton.js";
import { taggedLinkProperties } from "./link-properties.js";
import { displayPath, FileFindings, placeInValue } from "./messages.js";
import { closeJsxTag, isMdxJsxElement, openJsxTag, rewriteJsxLink, type MdxJsxElement } from "./mdx-jsx.js";
import { resolveUnifiedOptions, type UnifiedAmazonLinksOptions } from "./options.js";
import { walk } from "./walk.js";

type LinkLike = Link | LinkReference;

export default function remarkAmazonLinks(options: UnifiedAmazonLinksOptions = {}) {
  const settings = resolveUnifiedOptions("remarkAmazonLinks", options);
  const { rules } = settings;
  return function transformer(tree: Root, file: VFile): void {
    if (!settings.processesPath(displayPath(file))) return;
    const findings = new FileFindings();

    const definitions = new Map<string, Definition>();
    walk(tree, (node) => {
      if (node.type === "definition" && !definitions.has((node as Definition).identifier))
        definitions.set((node as Definition).identifier, node as Definition);
    });

    // Raw HTML and links in document order, so a link inside raw <code> or an opted-out <div> is skipped.
    const skeleton = new HtmlSkeleton();
    const pieceNodes = new Map<number, Html | LinkLike | MdxJsxElement>();
    walk(
      tree,
      (node) => {
        if (openJsxTag(node, skeleton, pieceNodes)) return;
        if (node.type === "html") pieceNodes.set(skeleton.raw((node as Html).value), node as Html);
        else if (node.type === "link") pieceNodes.set(skeleton.startTag("a", { href: (node as Link).url }), node as Link);
        else if (node.type === "linkReference") {
          const href = definitions.get((node as LinkReference).identifier)?.url;
          pieceNodes.set(skeleton.startTag("a", { href }), node as LinkReference);
        }
      },
      (node) => {
        if (node.type === "link" || node.type === "linkReference") skeleton.endTag("a");
        closeJsxTag(node, skeleton);
      },
    );
    const result = skeleton.run(rules);

    const referencesFound = new Set<string>();
    for (const { piece, offset, link } of result.links) {
      const node = pieceNodes.get(piece);
      if (!node) continue;
      if (node.type === "html") {
        const tagLength = link.html.end - link.html.start + 1;
        findings.add(link.decision.findings, placeInValue(file, node.position, node.value, offset, offset + tagLength));
        continue;
      }
      if (isMdxJsxElement(node)) {
        findings.add(link.decision.findings, node.position);
        rewriteJsxLink(node, link, rules);
        continue;
      }
      // The definition carries the URL and its findings; its references get the attributes.
      if (node.type === "link") {
        findings.add(link.decision.findings, node.position);
        node.url = link.decision.href;
      } else {
        referencesFound.add(node.identifier);
      }
      setHProperties(node, taggedLinkProperties(link, rules, hPropertiesOf(node)));
    }
    for (const [piece, node] of pieceNodes) {
      if (node.type === "html") node.value = result.texts[piece] as string;
    }

    const referenced = new Set<string>();
    walk(tree, (node) => {
      if (node.type === "linkReference") referenced.add((node as LinkReference).identifier);
    });
    walk(tree, (node) => {
      if (node.type !== "definition") return;
      const definition = node as Definition;
      // A definition all of whose references are skipped (in code, opted out) is left as written.
      if (referenced.has(definition.identifier) && !referencesFound.has(definition.identifier)) return;
      rewriteDefinition(definition, rules, findings);
    });

    findings.report(file, rules.failOnError);
  };
}

function rewriteDefinition(definition: Definition, rules: ResolvedOptions, findings: FileFindings): void {
  const parsed = parseAmazonUrl(definition.url);
  if (!parsed || !inScope(parsed, rules)) return;
  const decision = decideLink(parsed, rules);
  findings.add(decision.findings, definition.position);
  definition.url = decision.href;
}

function hPropertiesOf(node: Node): Properties {
  return ((node.data ?? {}) as { hProperties?: Properties }).hProperties ?? {};
}

/** remark-rehype turns `data.hProperties` into the `<a>`'s attributes. */
function setHProperties(node: LinkLike, properties: Properties): void {
  if (Object.keys(properties).length === 0) return;
  const data = (node.data ?? {}) as { hProperties?: Properties };
  node.data = { ...data, hProperties: { ...data.hProperties, ...properties } } as LinkLike["data"];
}
