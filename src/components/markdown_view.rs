//! Shows the safe tree from `dockyard_course::markdown`, as rendered when
//! Dockyard was built (encoded); never parses markdown or HTML.

use dockyard_course::figures;
use dockyard_course::markdown::{decode, Node};
use yew::prelude::*;
use yew::virtual_dom::{VTag, VText};

#[derive(Properties, PartialEq)]
pub struct MarkdownViewProps {
    /// The tree as `dockyard_course::markdown::encode` writes it.
    pub tree: AttrValue,
    #[prop_or_default]
    pub class: Classes,
}

#[function_component(MarkdownView)]
pub fn markdown_view(props: &MarkdownViewProps) -> Html {
    // Only trees that build.rs wrote reach here; a bad one shows nothing
    // rather than anything unsafe. Figures are drawn once per tree, from
    // the model (dockyard_course::figures).
    let nodes = use_memo(props.tree.clone(), |tree| {
        figures::expand(decode(tree).unwrap_or_default())
    });
    html! {
        <div class={classes!("markdown", props.class.clone())}>
            { for nodes.iter().map(to_html) }
        </div>
    }
}

fn to_html(node: &Node) -> Html {
    match node {
        Node::Text(text) => VText::new(text.clone()).into(),
        Node::Element(element) => {
            let mut tag = VTag::new(element.tag);
            for (name, value) in &element.attrs {
                // The tree names places in the app as routes (`#/notes/x`);
                // on the page they are addresses under the site's root.
                let value = match (*name, crate::route::legacy_hash_path(value)) {
                    ("href", Some(path)) => crate::route::href(&path),
                    _ => value.clone(),
                };
                tag.add_attribute(name, value);
            }
            // A code block or a table scrolls sideways on a narrow screen:
            // focusable, so that a keyboard can scroll it too.
            if element.tag == "pre" || element.tag == "table" {
                tag.add_attribute("tabindex", "0");
            }
            tag.add_children(element.children.iter().map(to_html));
            tag.into()
        }
    }
}
