//! HTML text from the course's safe markdown tree, for the static pages.
//! Everything that is not a tag or attribute name from that tree's own
//! allow-list is escaped, so the pages carry no markup a markdown file wrote.

use dockyard_course::markdown::Node;

/// Escapes text for an HTML text node or a double-quoted attribute value.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Elements that HTML writes without a closing tag.
const VOID: [&str; 4] = ["br", "hr", "img", "input"];

/// Writes the tree as HTML. Links to places in the app (the tree writes
/// them as routes, `#/notes/x`) become addresses through `address`.
pub(crate) fn nodes(tree: &[Node], address: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    write_nodes(tree, address, &mut out);
    out
}

fn write_nodes(tree: &[Node], address: &dyn Fn(&str) -> String, out: &mut String) {
    for node in tree {
        match node {
            Node::Text(text) => out.push_str(&escape(text)),
            Node::Element(element) => {
                out.push('<');
                out.push_str(element.tag);
                for (name, value) in &element.attrs {
                    let value = match (*name, value.strip_prefix("#/")) {
                        ("href", Some(route)) => address(route),
                        _ => value.clone(),
                    };
                    out.push_str(&format!(" {name}=\"{}\"", escape(&value)));
                }
                // As the app draws it: a code block or a table scrolls
                // sideways on a narrow screen, so a keyboard must reach it.
                if element.tag == "pre" || element.tag == "table" {
                    out.push_str(" tabindex=\"0\"");
                }
                out.push('>');
                if VOID.contains(&element.tag) {
                    continue;
                }
                write_nodes(&element.children, address, out);
                out.push_str(&format!("</{}>", element.tag));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_markup_stays_text() {
        let tree = dockyard_course::render("See <script>alert(1)</script> and [x](./fargate.md)\n");
        let html = nodes(&tree, &|route| format!("../{route}/"));
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("<a href=\"../notes/fargate/\">x</a>"),
            "{html}"
        );
    }

    #[test]
    fn attribute_values_are_quoted_safely() {
        assert_eq!(escape("a\"b<'&"), "a&quot;b&lt;&#39;&amp;");
    }
}
