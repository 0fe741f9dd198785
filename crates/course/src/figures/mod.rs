//! The notes' figures: one or more per chapter, drawn as accessible SVG in
//! the sandbox's visual language (EC2 amber, Fargate violet, EKS blue; tasks
//! and pods as discs, roles as blue-edged boxes, volumes as grey ones).
//!
//! A chapter places a figure with a fenced block whose language is
//! `figure` and whose text is the figure's id; the renderer keeps only that
//! id ([`PLACEHOLDER`]), and [`expand`] draws the figure where the app and
//! the static pages show the chapter. Figures that show a state or a rule
//! are computed from the model when they are drawn (who makes each call,
//! what survives, a task's lifecycle, a cluster as the model placed it),
//! so a figure cannot say something the sandbox does not do; the tests pin
//! each drawing so that a change to the model that redraws one is seen.

mod cluster;
mod lifecycle;
mod maps;
mod roles;
mod svg;
mod tables;

use crate::markdown::{Element, Node};

/// The tag the renderer writes for a figure's place in a chapter, with the
/// figure's id in [`PLACEHOLDER_ATTR`].
pub const PLACEHOLDER: &str = "figure";
pub const PLACEHOLDER_ATTR: &str = "data-figure";

/// What a figure's drawing function gives: the picture and its words.
pub(crate) struct Drawn {
    /// The figure's name, read first by a screen reader.
    pub(crate) title: String,
    /// The caption under the figure.
    pub(crate) caption: String,
    /// The figure in words, one point each: everything the picture says.
    pub(crate) words: Vec<String>,
    /// Whether the picture is computed from the model.
    pub(crate) from_model: bool,
    pub(crate) canvas: svg::Canvas,
}

/// A figure, ready to show.
pub struct Figure {
    pub id: &'static str,
    pub chapter: &'static str,
    pub title: String,
    pub caption: String,
    pub words: Vec<String>,
    pub from_model: bool,
    /// The `<svg>` element.
    pub drawing: Element,
}

struct Entry {
    id: &'static str,
    chapter: &'static str,
    draw: fn() -> Drawn,
}

/// Every figure, in the order of the chapters that show them.
const FIGURES: &[Entry] = &[
    Entry {
        id: "image-to-container",
        chapter: "docker-basics",
        draw: maps::image_to_container,
    },
    Entry {
        id: "control-planes-and-capacity",
        chapter: "aws-container-services",
        draw: maps::control_planes_and_capacity,
    },
    Entry {
        id: "who-runs-what",
        chapter: "ecs-launch-types",
        draw: maps::who_runs_what,
    },
    Entry {
        id: "task-lifecycle",
        chapter: "ecs-core-concepts",
        draw: lifecycle::task_lifecycle,
    },
    Entry {
        id: "ecs-role-chain",
        chapter: "ecs-iam",
        draw: roles::ecs_role_chain,
    },
    Entry {
        id: "push-and-pull",
        chapter: "ecr",
        draw: maps::push_and_pull,
    },
    Entry {
        id: "what-survives",
        chapter: "ecs-data-volumes",
        draw: tables::what_survives,
    },
    Entry {
        id: "tasks-across-zones",
        chapter: "ecs-clusters",
        draw: cluster::tasks_across_zones,
    },
    Entry {
        id: "eks-control-plane-and-nodes",
        chapter: "eks-core-concepts",
        draw: maps::eks_control_plane_and_nodes,
    },
    Entry {
        id: "eks-node-types",
        chapter: "eks-node-types",
        draw: maps::eks_node_types,
    },
    Entry {
        id: "csi-drivers-by-compute",
        chapter: "eks-data-volumes",
        draw: tables::csi_drivers_by_compute,
    },
    Entry {
        id: "fargate-sizes",
        chapter: "fargate",
        draw: tables::fargate_sizes,
    },
    Entry {
        id: "role-chain-every-platform",
        chapter: "summary",
        draw: roles::role_chain_every_platform,
    },
];

/// Every figure's id and the chapter that shows it.
pub fn catalogue() -> impl Iterator<Item = (&'static str, &'static str)> {
    FIGURES.iter().map(|entry| (entry.id, entry.chapter))
}

/// Draws the figure `id`, or `None` if there is no such figure.
pub fn draw(id: &str) -> Option<Figure> {
    let entry = FIGURES.iter().find(|entry| entry.id == id)?;
    let drawn = (entry.draw)();
    Some(Figure {
        id: entry.id,
        chapter: entry.chapter,
        drawing: drawn.canvas.finish(entry.id, &drawn.title),
        title: drawn.title,
        caption: drawn.caption,
        words: drawn.words,
        from_model: drawn.from_model,
    })
}

fn with_text(tag: &'static str, attrs: Vec<(&'static str, String)>, text: &str) -> Element {
    let mut element = Element::new(tag);
    element.attrs = attrs;
    element.children.push(Node::Text(text.to_string()));
    element
}

impl Figure {
    /// The figure as the page shows it: the drawing (scrolling sideways on
    /// a narrow screen rather than shrinking its words), its caption, and
    /// the figure in words, which the drawing names as its description.
    pub fn element(&self) -> Element {
        let mut frame = Element::new("div");
        frame.attrs = vec![("class", "figure-frame".into()), ("tabindex", "0".into())];
        frame.children.push(Node::Element(self.drawing.clone()));

        let mut caption = with_text("figcaption", Vec::new(), &self.caption);
        if self.from_model {
            caption.children.push(Node::Text(" ".into()));
            caption.children.push(Node::Element(with_text(
                "span",
                vec![("class", "figure-source".into())],
                "Drawn by Dockyard's model, so it shows what the sandbox does.",
            )));
        }

        let mut list = Element::new("ul");
        list.attrs = vec![("id", format!("figure-{}-words", self.id))];
        list.children = self
            .words
            .iter()
            .map(|point| Node::Element(with_text("li", Vec::new(), point)))
            .collect();
        let mut words = Element::new("details");
        words.attrs = vec![("class", "figure-words".into())];
        words.children = vec![
            Node::Element(with_text("summary", Vec::new(), "The figure in words")),
            Node::Element(list),
        ];

        let mut figure = Element::new("figure");
        figure.attrs = vec![
            ("class", "figure".into()),
            ("id", format!("figure-{}", self.id)),
        ];
        figure.children = vec![
            Node::Element(frame),
            Node::Element(caption),
            Node::Element(words),
        ];
        figure
    }
}

/// The chapter's tree with each figure placeholder replaced by its figure
/// (or, for an id no figure has, a line saying so, never nothing).
pub fn expand(nodes: Vec<Node>) -> Vec<Node> {
    nodes
        .into_iter()
        .map(|node| match node {
            Node::Element(element) if is_placeholder(&element) => {
                let id = element.attr(PLACEHOLDER_ATTR).unwrap_or_default();
                match draw(id) {
                    Some(figure) => Node::Element(figure.element()),
                    None => Node::Element(with_text(
                        "p",
                        vec![("class", "figure-missing".into())],
                        &format!("(Dockyard has no figure called \"{id}\".)"),
                    )),
                }
            }
            Node::Element(mut element) => {
                element.children = expand(element.children);
                Node::Element(element)
            }
            text => text,
        })
        .collect()
}

fn is_placeholder(element: &Element) -> bool {
    element.tag == PLACEHOLDER && element.attr(PLACEHOLDER_ATTR).is_some()
}

/// The ids of the figure placeholders in a tree, in order.
pub fn placeholders(nodes: &[Node]) -> Vec<String> {
    let mut found = Vec::new();
    for node in nodes {
        if let Node::Element(element) = node {
            if is_placeholder(element) {
                found.push(
                    element
                        .attr(PLACEHOLDER_ATTR)
                        .unwrap_or_default()
                        .to_string(),
                );
            } else {
                found.extend(placeholders(&element.children));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
