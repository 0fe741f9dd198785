//! Markdown to a safe element tree.
//!
//! The notes are rendered into this tree, never into an HTML string, so
//! nothing in a markdown file can become markup: tag and attribute names
//! come only from the constants below, raw HTML in the source is kept as
//! visible text, and a link is live only when its target is another
//! chapter or an http(s) or mailto address.
//!
//! The shipped notes are rendered when Dockyard is built (build.rs, with
//! pulldown-cmark) and compiled in as a compact encoding of this tree
//! ([`encode`], [`decode`]): the app carries no markdown parser, which
//! saved about 17 KB of the gzipped download (the parser and its HTML
//! entity table). [`decode`] accepts only the tags and attributes below.

#[cfg(feature = "parse")]
pub use crate::render::render;

/// A node of rendered markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    Text(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    pub tag: &'static str,
    pub attrs: Vec<(&'static str, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub(crate) fn new(tag: &'static str) -> Self {
        Element {
            tag,
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    // Only the renderer (feature `parse`, and build.rs) adds attributes.
    #[cfg_attr(not(feature = "parse"), allow(dead_code))]
    pub(crate) fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attrs.push((name, value.into()));
        self
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The text inside, without markup.
    pub fn text(&self) -> String {
        let mut out = String::new();
        collect_text(&self.children, &mut out);
        out
    }
}

fn collect_text(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(element) => collect_text(&element.children, out),
        }
    }
}

/// Where a markdown link may take the learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another chapter of the notes, shown inside the app.
    Chapter(&'static str),
    /// A page elsewhere on the web, opened in a new tab.
    External(String),
    /// A finding code of Dockyard's validator (`finding:fargate-size`),
    /// shown on the app's page for that rule.
    Finding(String),
    /// A shipped sandbox scenario (`sandbox:az-outage`): "try it" links.
    Sandbox(&'static str),
    /// Anything else (`javascript:`, `data:`, unknown files): shown as text.
    Refused,
}

/// Decides what a link's destination may become. An allow-list, because a
/// block-list of schemes is how `java\tscript:` and friends get through.
pub fn classify_link(destination: &str) -> LinkTarget {
    // Browsers strip surrounding spaces and control characters and drop tabs
    // and newlines anywhere in a URL; judge what the browser would see.
    let seen: String = destination
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let lower = seen.to_ascii_lowercase();
    if (lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:"))
        && !seen
            .chars()
            .any(|c| c.is_control() || c == '"' || c == '<' || c == '>')
    {
        return LinkTarget::External(seen);
    }
    if let Some(code) = seen.strip_prefix("finding:") {
        if !code.is_empty()
            && code.len() <= 64
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return LinkTarget::Finding(code.to_string());
        }
        return LinkTarget::Refused;
    }
    if let Some(slug) = seen.strip_prefix("sandbox:") {
        return match crate::known_scenario(slug) {
            Some(found) => LinkTarget::Sandbox(found),
            None => LinkTarget::Refused,
        };
    }
    let file = lower.strip_prefix("./").unwrap_or(&lower);
    let file = file.split('#').next().unwrap_or_default();
    match file.strip_suffix(".md").and_then(crate::known_chapter) {
        Some(found) => LinkTarget::Chapter(found),
        None => LinkTarget::Refused,
    }
}

/// The route of a chapter inside the app.
pub fn chapter_href(slug: &str) -> String {
    format!("#/notes/{slug}")
}

/// The route of a finding code's page inside the app.
pub fn finding_href(code: &str) -> String {
    format!("#/findings/{code}")
}

/// Every tag the renderer makes; [`decode`] refuses any other.
pub const TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "ol",
    "ul",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "em",
    "strong",
    "del",
    "sup",
    "sub",
    "a",
    "span",
    "div",
    "br",
    "hr",
    // A figure's place (crate::figures): its id only; the app and the
    // static pages draw the figure there.
    "figure",
];

/// Every attribute the renderer sets; [`decode`] refuses any other.
pub const ATTRS: &[&str] = &[
    "class",
    "start",
    "scope",
    "href",
    "target",
    "rel",
    "title",
    "data-figure",
];

const OPEN: char = '\u{1}';
const ATTR: char = '\u{2}';
const VALUE: char = '\u{3}';
const BODY: char = '\u{4}';
const CLOSE: char = '\u{5}';

fn is_marker(c: char) -> bool {
    matches!(c, OPEN | ATTR | VALUE | BODY | CLOSE)
}

/// A tree as text: `\u{1}tag(\u{2}name\u{3}value)*\u{4}children\u{5}`;
/// text is itself, with the five marker characters replaced.
pub fn encode(nodes: &[Node]) -> String {
    let mut out = String::new();
    encode_into(nodes, &mut out);
    out
}

fn encode_into(nodes: &[Node], out: &mut String) {
    let clean = |text: &str, out: &mut String| {
        out.extend(
            text.chars()
                .map(|c| if is_marker(c) { '\u{fffd}' } else { c }),
        )
    };
    for node in nodes {
        match node {
            Node::Text(text) => clean(text, out),
            Node::Element(element) => {
                out.push(OPEN);
                out.push_str(element.tag);
                for (name, value) in &element.attrs {
                    out.push(ATTR);
                    out.push_str(name);
                    out.push(VALUE);
                    clean(value, out);
                }
                out.push(BODY);
                encode_into(&element.children, out);
                out.push(CLOSE);
            }
        }
    }
}

/// Reads an encoded tree, refusing tags and attributes not on the lists.
pub fn decode(encoded: &str) -> Result<Vec<Node>, String> {
    let mut rest = encoded;
    let nodes = decode_nodes(&mut rest)?;
    if rest.is_empty() {
        Ok(nodes)
    } else {
        Err("an element closed that was never opened".into())
    }
}

/// A link the renderer could have made: a route inside the app, or an
/// address that [`classify_link`] passes through unchanged.
fn safe_href(value: &str) -> bool {
    ["#/notes/", "#/findings/", "#/sandbox/", "#/lesson/"]
        .iter()
        .any(|route| value.starts_with(route))
        || classify_link(value) == LinkTarget::External(value.to_string())
}

fn allowed(list: &[&'static str], name: &str) -> Result<&'static str, String> {
    list.iter()
        .find(|known| **known == name)
        .copied()
        .ok_or_else(|| format!("{name:?} is not allowed"))
}

fn decode_nodes(rest: &mut &str) -> Result<Vec<Node>, String> {
    let mut nodes = Vec::new();
    loop {
        let text_end = rest.find(is_marker).unwrap_or(rest.len());
        if text_end > 0 {
            nodes.push(Node::Text(rest[..text_end].to_string()));
            *rest = &rest[text_end..];
        }
        match rest.chars().next() {
            None | Some(CLOSE) => return Ok(nodes),
            Some(OPEN) => {
                *rest = &rest[1..];
                let end = rest.find(is_marker).ok_or("an element without a body")?;
                let mut element = Element::new(allowed(TAGS, &rest[..end])?);
                *rest = &rest[end..];
                while rest.starts_with(ATTR) {
                    let name_end = rest.find(VALUE).ok_or("an attribute without a value")?;
                    let name = allowed(ATTRS, &rest[1..name_end])?;
                    *rest = &rest[name_end + 1..];
                    let value_end = rest.find(is_marker).ok_or("an unfinished attribute")?;
                    let value = &rest[..value_end];
                    if name == "href" && !safe_href(value) {
                        return Err(format!("a link to {value:?} is not allowed"));
                    }
                    element.attrs.push((name, value.to_string()));
                    *rest = &rest[value_end..];
                }
                *rest = rest.strip_prefix(BODY).ok_or("an element without a body")?;
                element.children = decode_nodes(rest)?;
                *rest = rest.strip_prefix(CLOSE).ok_or("an element left open")?;
                nodes.push(Node::Element(element));
            }
            Some(_) => return Err("a marker out of place".into()),
        }
    }
}

#[cfg(all(test, feature = "parse"))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn walk<'a>(nodes: &'a [Node], out: &mut Vec<&'a Element>) {
        for node in nodes {
            if let Node::Element(element) = node {
                out.push(element);
                walk(&element.children, out);
            }
        }
    }

    fn elements(nodes: &[Node]) -> Vec<&Element> {
        let mut out = Vec::new();
        walk(nodes, &mut out);
        out
    }

    const ALLOWED_TAGS: &[&str] = &[
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "code",
        "ol",
        "ul",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "em",
        "strong",
        "del",
        "sup",
        "sub",
        "a",
        "span",
        "div",
        "br",
        "hr",
    ];

    fn assert_safe(nodes: &[Node]) {
        for element in elements(nodes) {
            assert!(ALLOWED_TAGS.contains(&element.tag), "tag {}", element.tag);
            for (name, value) in &element.attrs {
                assert!(!name.starts_with("on"), "event handler attribute {name}");
                if *name == "href" {
                    assert!(
                        value.starts_with("#/notes/")
                            || value.starts_with("#/findings/")
                            || value.starts_with("https://")
                            || value.starts_with("http://")
                            || value.starts_with("mailto:"),
                        "live link to {value:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let nodes = render("<script>alert(1)</script>\n\nA <img src=x onerror=alert(1)> picture.");
        assert_safe(&nodes);
        let tags: Vec<&str> = elements(&nodes).iter().map(|e| e.tag).collect();
        assert!(
            !tags.contains(&"script") && !tags.contains(&"img"),
            "{tags:?}"
        );
        let text: String = elements(&nodes)
            .iter()
            .filter(|e| e.attr("class") == Some("raw-html"))
            .map(|e| e.text())
            .collect();
        assert!(text.contains("<script>alert(1)</script>"), "{text}");
        assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
    }

    #[test]
    fn javascript_links_are_never_live() {
        for destination in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "//evil.example/x",
            "other.md",
        ] {
            assert_eq!(
                classify_link(destination),
                LinkTarget::Refused,
                "{destination:?}"
            );
        }
        let nodes = render("[click](javascript:alert(1)) and <javascript:alert(1)>");
        assert_safe(&nodes);
        assert!(elements(&nodes).iter().all(|e| e.tag != "a"));
    }

    #[test]
    fn chapter_links_navigate_inside_the_app() {
        assert_eq!(classify_link("ecs-iam.md"), LinkTarget::Chapter("ecs-iam"));
        assert_eq!(
            classify_link("./fargate.md#sizes"),
            LinkTarget::Chapter("fargate")
        );
        let nodes = render("See [the IAM chapter](ecs-iam.md).");
        let links: Vec<&Element> = elements(&nodes)
            .into_iter()
            .filter(|e| e.tag == "a")
            .collect();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].attr("href"), Some("#/notes/ecs-iam"));
        assert_eq!(links[0].attr("target"), None);
    }

    #[test]
    fn finding_codes_link_to_their_page() {
        assert_eq!(
            classify_link("finding:fargate-size"),
            LinkTarget::Finding("fargate-size".into())
        );
        assert_eq!(classify_link("finding:<script>"), LinkTarget::Refused);
        assert_eq!(
            classify_link("sandbox:az-outage"),
            LinkTarget::Sandbox("az-outage")
        );
        assert_eq!(classify_link("sandbox:nope"), LinkTarget::Refused);
        assert_eq!(classify_link("sandbox:<script>"), LinkTarget::Refused);
        assert_eq!(classify_link("finding:"), LinkTarget::Refused);
        let nodes = render("[`fargate-size`](finding:fargate-size)");
        let link = elements(&nodes).into_iter().find(|e| e.tag == "a").unwrap();
        assert_eq!(link.attr("href"), Some("#/findings/fargate-size"));
    }

    #[test]
    fn external_links_open_in_a_new_tab_without_an_opener() {
        let nodes = render(
            "[docs](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/Welcome.html)",
        );
        let link = elements(&nodes).into_iter().find(|e| e.tag == "a").unwrap();
        assert_eq!(link.attr("rel"), Some("noopener noreferrer"));
        assert_eq!(link.attr("target"), Some("_blank"));
    }

    #[test]
    fn tables_render_with_head_and_body() {
        let nodes = render("| A | B |\n|---|--:|\n| 1 | 2 |\n| 3 | 4 |\n");
        let tags: Vec<&str> = elements(&nodes).iter().map(|e| e.tag).collect();
        assert_eq!(
            tags,
            ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td", "tr", "td", "td"]
        );
        let right = elements(&nodes)
            .into_iter()
            .filter(|e| e.attr("class") == Some("align-right"))
            .count();
        assert_eq!(right, 3);
    }

    #[test]
    fn callouts_are_marked() {
        let nodes = render("> **A common belief, made precise.** Fargate has no instance profile.");
        assert_eq!(
            elements(&nodes)[0].attr("class"),
            Some("callout correction")
        );
    }

    #[test]
    fn code_blocks_keep_their_language_and_text() {
        let nodes = render("```json\n{\"family\": \"web\"}\n```\n");
        let all = elements(&nodes);
        assert_eq!(all[0].tag, "pre");
        assert_eq!(all[1].attr("class"), Some("language-json"));
        assert_eq!(all[1].text(), "{\"family\": \"web\"}\n");
    }

    proptest! {
        #[test]
        fn no_input_yields_an_unsafe_tree(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("<script>x</script>".to_string()),
                    Just("<img src=x onerror=alert(1)>".to_string()),
                    Just("[a](javascript:alert(1))".to_string()),
                    Just("[a](java\tscript:x)".to_string()),
                    Just("![i](javascript:x)".to_string()),
                    Just("<a href=\"javascript:x\">y</a>".to_string()),
                    Just("| a | b |\n|---|---|\n| c | d |\n".to_string()),
                    Just("\n\n> ".to_string()),
                    Just("```\n".to_string()),
                    "\\PC{0,12}",
                ],
                0..12,
            )
        ) {
            let markdown = pieces.concat();
            assert_safe(&render(&markdown));
        }

        /// What the app decodes is exactly what the renderer made (text
        /// holding a marker character comes back with U+FFFD instead).
        #[test]
        fn the_encoding_round_trips(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("# T\n\n| a | b |\n|:-:|--:|\n| `c` | **d** |\n\n".to_string()),
                    Just("1. x\n2. [y](https://example.org \"t\")\n\n> **A common belief** z\n".to_string()),
                    Just("```rust\nfn f() {}\n```\n".to_string()),
                    "[\\PC\u{1}-\u{5}]{0,12}",
                ],
                0..10,
            )
        ) {
            let markdown = pieces.concat().replace(is_marker, "\u{fffd}");
            let tree = render(&markdown);
            prop_assert_eq!(decode(&encode(&tree)).unwrap(), tree);
        }
    }

    #[test]
    fn decoding_refuses_what_the_renderer_never_makes() {
        assert_eq!(
            decode("\u{1}script\u{4}x\u{5}").unwrap_err(),
            "\"script\" is not allowed"
        );
        assert_eq!(
            decode("\u{1}a\u{2}onclick\u{3}x\u{4}\u{5}").unwrap_err(),
            "\"onclick\" is not allowed"
        );
        assert_eq!(
            decode("\u{1}a\u{2}href\u{3}javascript:alert(1)\u{4}x\u{5}").unwrap_err(),
            "a link to \"javascript:alert(1)\" is not allowed"
        );
        assert!(decode("\u{1}a\u{2}href\u{3} https://x.org\u{4}x\u{5}").is_err());
        assert!(decode("\u{1}a\u{2}href\u{3}#/sandbox/az-outage\u{4}x\u{5}").is_ok());
        assert!(decode("\u{1}p\u{4}open").is_err());
        assert!(decode("text\u{5}").is_err());
        assert!(decode("\u{1}p").is_err());
        // Marker characters in text never reach the tree's structure.
        let tree = vec![Node::Text("a\u{1}script\u{4}b".into())];
        assert_eq!(
            decode(&encode(&tree)).unwrap(),
            vec![Node::Text("a\u{fffd}script\u{fffd}b".into())]
        );
    }
}
