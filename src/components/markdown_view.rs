//! Shows the safe tree from `dockyard_course::markdown`, as rendered when
//! Dockyard was built (encoded); never parses markdown or HTML.

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
    // rather than anything unsafe.
    let nodes = use_memo(props.tree.clone(), |tree| decode(tree).unwrap_or_default());
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
                tag.add_attribute(name, value.clone());
            }
            tag.add_children(element.children.iter().map(to_html));
            tag.into()
        }
    }
}
