//! Markdown to the safe tree of [`crate::markdown`], with pulldown-cmark.
//! Used when Dockyard is built (build.rs renders the shipped notes) and by
//! the tests; the app itself only decodes the result.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::markdown::{chapter_href, classify_link, finding_href, Element, LinkTarget, Node};

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
    /// Inside a ```figure block: its text is the figure's id.
    in_figure: bool,
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
            Event::End(TagEnd::CodeBlock) if self.in_figure => {
                self.in_figure = false;
                if let Some(mut figure) = self.stack.pop() {
                    let id = figure.text().trim().to_string();
                    figure.children.clear();
                    self.push(Node::Element(figure.with("data-figure", id)));
                }
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
            // A figure's place: the app and the static pages draw it
            // (crate::figures); its id is all the tree keeps.
            Tag::CodeBlock(CodeBlockKind::Fenced(language)) if &*language == "figure" => {
                self.in_figure = true;
                Element::new("figure")
            }
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

/// Marks the notes' callouts ("> **A common belief, made precise.** ...",
/// "> **Remember** ...") so that they stand out.
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
    let class = if lead.starts_with("A common belief") {
        "callout correction"
    } else if lead.starts_with("Remember") || lead.starts_with("How this course works") {
        "callout remember"
    } else {
        return element;
    };
    element.with("class", class)
}
