//! Markdown to a safe element tree.
//!
//! The notes are rendered into this tree, never into an HTML string, so
//! nothing in a markdown file can become markup: tag and attribute names
//! come only from the constants below, raw HTML in the source is kept as
//! visible text, and a link is live only when its target is another
//! chapter or an http(s) or mailto address.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::chapters::chapter;

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
    fn new(tag: &'static str) -> Self {
        Element {
            tag,
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
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
        return match crate::scenarios::scenario(slug) {
            Some(found) => LinkTarget::Sandbox(found.slug),
            None => LinkTarget::Refused,
        };
    }
    let file = lower.strip_prefix("./").unwrap_or(&lower);
    let file = file.split('#').next().unwrap_or_default();
    match file.strip_suffix(".md").and_then(chapter) {
        Some(found) => LinkTarget::Chapter(found.slug),
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

/// Renders markdown (CommonMark with GitHub tables and strikethrough).
pub fn render(markdown: &str) -> Vec<Node> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut builder = TreeBuilder::default();
    for event in Parser::new_ext(markdown, options) {
        builder.event(event);
    }
    builder.finish()
}

#[derive(Default)]
struct TreeBuilder {
    /// Open elements, innermost last; the bottom frame collects the result.
    stack: Vec<Element>,
    root: Vec<Node>,
    alignments: Vec<Alignment>,
    cell_index: usize,
    in_table_head: bool,
}

impl TreeBuilder {
    fn open(&mut self, element: Element) {
        self.stack.push(element);
    }

    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => self.root.push(node),
        }
    }

    fn close(&mut self) {
        if let Some(element) = self.stack.pop() {
            let element = decorate(element);
            self.push(Node::Element(element));
        }
    }

    fn text(&mut self, text: &str) {
        // Adjacent text (pulldown-cmark splits at entities) becomes one node.
        if let Some(Node::Text(last)) = self
            .stack
            .last_mut()
            .and_then(|parent| parent.children.last_mut())
        {
            last.push_str(text);
            return;
        }
        self.push(Node::Text(text.to_string()));
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(TagEnd::TableHead) => {
                self.close(); // tr
                self.close(); // thead
                self.in_table_head = false;
            }
            Event::End(TagEnd::CodeBlock) => {
                self.close(); // code
                self.close(); // pre
            }
            Event::End(TagEnd::Table) => {
                if self.stack.last().is_some_and(|e| e.tag == "tbody") {
                    self.close();
                }
                self.close();
            }
            Event::End(_) => self.close(),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => {
                let mut element = Element::new("code");
                element.children.push(Node::Text(code.to_string()));
                self.push(Node::Element(element));
            }
            // Raw HTML is shown, not obeyed.
            Event::Html(html) | Event::InlineHtml(html) => {
                let mut element = Element::new("code").with("class", "raw-html");
                element.children.push(Node::Text(html.to_string()));
                self.push(Node::Element(element));
            }
            Event::SoftBreak => self.text("\n"),
            Event::HardBreak => self.push(Node::Element(Element::new("br"))),
            Event::Rule => self.push(Node::Element(Element::new("hr"))),
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::InlineMath(text) | Event::DisplayMath(text) | Event::FootnoteReference(text) => {
                self.text(&text)
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let element = match tag {
            Tag::Paragraph => Element::new("p"),
            Tag::Heading { level, .. } => Element::new(heading_tag(level)),
            Tag::BlockQuote(_) => Element::new("blockquote"),
            Tag::CodeBlock(kind) => {
                self.open(Element::new("pre"));
                match kind {
                    CodeBlockKind::Fenced(language) if is_language_name(&language) => {
                        Element::new("code").with("class", format!("language-{language}"))
                    }
                    _ => Element::new("code"),
                }
            }
            Tag::HtmlBlock => Element::new("pre").with("class", "raw-html"),
            Tag::List(Some(1)) => Element::new("ol"),
            Tag::List(Some(start)) => Element::new("ol").with("start", start.to_string()),
            Tag::List(None) => Element::new("ul"),
            Tag::Item => Element::new("li"),
            Tag::Table(alignments) => {
                self.alignments = alignments;
                Element::new("table")
            }
            Tag::TableHead => {
                self.in_table_head = true;
                self.cell_index = 0;
                self.open(Element::new("thead"));
                Element::new("tr")
            }
            Tag::TableRow => {
                if self.stack.last().is_some_and(|e| e.tag == "table") {
                    self.open(Element::new("tbody"));
                }
                self.cell_index = 0;
                Element::new("tr")
            }
            Tag::TableCell => {
                let mut cell = Element::new(if self.in_table_head { "th" } else { "td" });
                if self.in_table_head {
                    cell = cell.with("scope", "col");
                }
                let align = match self.alignments.get(self.cell_index) {
                    Some(Alignment::Center) => Some("align-center"),
                    Some(Alignment::Right) => Some("align-right"),
                    _ => None,
                };
                self.cell_index += 1;
                match align {
                    Some(class) => cell.with("class", class),
                    None => cell,
                }
            }
            Tag::Emphasis => Element::new("em"),
            Tag::Strong => Element::new("strong"),
            Tag::Strikethrough => Element::new("del"),
            Tag::Superscript => Element::new("sup"),
            Tag::Subscript => Element::new("sub"),
            Tag::Link {
                dest_url, title, ..
            } => link(&dest_url, &title),
            // Pictures are not part of the notes; an image shows its alt text.
            Tag::Image { .. } => Element::new("span").with("class", "image-alt"),
            Tag::FootnoteDefinition(_) | Tag::DefinitionList | Tag::DefinitionListDefinition => {
                Element::new("div")
            }
            Tag::DefinitionListTitle => Element::new("p"),
            Tag::MetadataBlock(_) => Element::new("pre"),
        };
        self.open(element);
    }

    fn finish(mut self) -> Vec<Node> {
        while !self.stack.is_empty() {
            self.close();
        }
        self.root
    }
}

fn heading_tag(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

fn is_language_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 20
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn link(destination: &str, title: &str) -> Element {
    let element = match classify_link(destination) {
        LinkTarget::Chapter(slug) => Element::new("a").with("href", chapter_href(slug)),
        LinkTarget::Finding(code) => Element::new("a")
            .with("href", finding_href(&code))
            .with("class", "finding-link"),
        LinkTarget::Sandbox(slug) => Element::new("a")
            .with("href", format!("#/sandbox/{slug}"))
            .with("class", "try-it"),
        LinkTarget::External(url) => Element::new("a")
            .with("href", url)
            .with("target", "_blank")
            .with("rel", "noopener noreferrer")
            .with("class", "external"),
        LinkTarget::Refused => {
            return Element::new("span").with("class", "dead-link").with(
                "title",
                "This link was disabled: its target is not a chapter or a web page.",
            );
        }
    };
    if title.is_empty() {
        element
    } else {
        element.with("title", title)
    }
}

/// Marks the notes' callouts ("> **Correction to the original notes.** ...")
/// so that they stand out.
fn decorate(element: Element) -> Element {
    if element.tag != "blockquote" {
        return element;
    }
    let lead = match element.children.first() {
        Some(Node::Element(paragraph)) => match paragraph.children.first() {
            Some(Node::Element(strong)) if strong.tag == "strong" => strong.text(),
            _ => String::new(),
        },
        _ => String::new(),
    };
    let class = if lead.starts_with("Correction") {
        "callout correction"
    } else if lead.starts_with("Remember") {
        "callout remember"
    } else {
        return element;
    };
    element.with("class", class)
}

#[cfg(test)]
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
        let nodes =
            render("> **Correction to the original notes.** Fargate has no instance profile.");
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
    }
}
