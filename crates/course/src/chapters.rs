//! The course's chapters, in reading order: one per section of the seed
//! notes, with the seed's section 3 and 4 split by their sub-headings.

use crate::markdown::{decode, Node};

/// A chapter of the course notes.
#[derive(Debug, PartialEq, Eq)]
pub struct Chapter {
    /// The chapter's name in URLs (`#/notes/<slug>`) and its file name.
    pub slug: &'static str,
    pub title: &'static str,
    /// A short name for the navigation.
    pub short: &'static str,
    /// The part of the course it belongs to, shown as a heading in the navigation.
    pub part: &'static str,
    /// The notes without their title line, rendered when Dockyard was built
    /// (static/notes/SLUG.md, see build.rs), as [`crate::markdown::encode`] writes it.
    pub notes: &'static str,
    /// The key-concepts table shown beside the notes, likewise.
    pub concepts: &'static str,
}

impl Chapter {
    /// The notes as the app shows them (the title is drawn apart).
    pub fn notes_tree(&self) -> Vec<Node> {
        decode(self.notes).expect("build.rs encodes only allowed tags")
    }

    pub fn concepts_tree(&self) -> Vec<Node> {
        decode(self.concepts).expect("build.rs encodes only allowed tags")
    }
}

macro_rules! chapter {
    ($slug:literal, $part:literal, $short:literal, $title:literal) => {
        Chapter {
            slug: $slug,
            title: $title,
            short: $short,
            part: $part,
            notes: include_str!(concat!(env!("OUT_DIR"), "/notes/", $slug, ".tree")),
            concepts: include_str!(concat!(env!("OUT_DIR"), "/concepts/", $slug, ".tree")),
        }
    };
}

pub const CHAPTERS: &[Chapter] = &[
    chapter!(
        "docker-basics",
        "Containers",
        "Docker basics",
        "Docker basics"
    ),
    chapter!(
        "aws-container-services",
        "Containers",
        "AWS services",
        "AWS container services"
    ),
    chapter!(
        "ecs-launch-types",
        "Amazon ECS",
        "Launch types",
        "ECS launch types: EC2 and Fargate"
    ),
    chapter!(
        "ecs-core-concepts",
        "Amazon ECS",
        "Core concepts",
        "ECS core concepts: tasks, task definitions, services"
    ),
    chapter!(
        "ecs-iam",
        "Amazon ECS",
        "IAM roles",
        "IAM in ECS: task role, execution role, instance profile"
    ),
    chapter!(
        "ecr",
        "Amazon ECS",
        "ECR",
        "Amazon ECR: Elastic Container Registry"
    ),
    chapter!(
        "ecs-data-volumes",
        "Amazon ECS",
        "Data volumes",
        "ECS data volumes"
    ),
    chapter!("ecs-clusters", "Amazon ECS", "Clusters", "ECS clusters"),
    chapter!(
        "eks-core-concepts",
        "Amazon EKS",
        "Pods and nodes",
        "EKS core concepts: control plane, pods and nodes"
    ),
    chapter!(
        "eks-node-types",
        "Amazon EKS",
        "Node types",
        "EKS node types: managed node groups, self-managed nodes, Fargate"
    ),
    chapter!(
        "eks-data-volumes",
        "Amazon EKS",
        "CSI storage",
        "EKS data volumes: CSI drivers"
    ),
    chapter!("fargate", "AWS Fargate", "Fargate", "AWS Fargate"),
    chapter!(
        "summary",
        "Summary",
        "Summary",
        "Summary: choosing ECS, EKS and Fargate"
    ),
];

pub fn chapter(slug: &str) -> Option<&'static Chapter> {
    CHAPTERS.iter().find(|chapter| chapter.slug == slug)
}

/// The chapter's position in reading order, with its neighbours.
pub fn neighbours(slug: &str) -> (Option<&'static Chapter>, Option<&'static Chapter>) {
    match CHAPTERS.iter().position(|chapter| chapter.slug == slug) {
        Some(index) => (
            index.checked_sub(1).map(|i| &CHAPTERS[i]),
            CHAPTERS.get(index + 1),
        ),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::render;

    /// The chapter's markdown as written.
    fn source(slug: &str) -> String {
        let path = format!(
            "{}/../../static/notes/{slug}.md",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn every_chapter_opens_with_its_own_title() {
        for chapter in CHAPTERS {
            let source = source(chapter.slug);
            let first_line = source.lines().next().unwrap_or_default();
            assert_eq!(
                first_line,
                format!("# {}", chapter.title),
                "static/notes/{}.md",
                chapter.slug
            );
        }
    }

    #[test]
    fn slugs_are_unique_and_url_safe() {
        for (i, chapter) in CHAPTERS.iter().enumerate() {
            assert!(
                chapter
                    .slug
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                chapter.slug
            );
            assert!(
                CHAPTERS[i + 1..]
                    .iter()
                    .all(|other| other.slug != chapter.slug),
                "{}",
                chapter.slug
            );
        }
    }

    fn hrefs(nodes: &[Node], out: &mut Vec<String>) {
        for node in nodes {
            if let Node::Element(element) = node {
                if let Some(href) = element.attr("href") {
                    out.push(href.to_string());
                }
                hrefs(&element.children, out);
            }
        }
    }

    fn dead_links(nodes: &[Node]) -> usize {
        nodes
            .iter()
            .map(|node| match node {
                Node::Element(element) => {
                    usize::from(element.attr("class") == Some("dead-link"))
                        + dead_links(&element.children)
                }
                Node::Text(_) => 0,
            })
            .sum()
    }

    #[test]
    fn every_link_in_the_notes_resolves() {
        for chapter in CHAPTERS {
            for nodes in [chapter.notes_tree(), chapter.concepts_tree()] {
                assert_eq!(
                    dead_links(&nodes),
                    0,
                    "a link in {} points nowhere",
                    chapter.slug
                );
                let mut found = Vec::new();
                hrefs(&nodes, &mut found);
                for href in found {
                    if let Some(slug) = href.strip_prefix("#/notes/") {
                        assert!(super::chapter(slug).is_some(), "{}: {href}", chapter.slug);
                    } else if let Some(code) = href.strip_prefix("#/findings/") {
                        // A findings page shows a rule or a refusal code.
                        assert!(
                            dockyard_model::taskdef::rule(code).is_some()
                                || dockyard_model::sim::refusal(code).is_some(),
                            "{} links to a finding code that does not exist: {code}",
                            chapter.slug
                        );
                    } else if let Some(slug) = href.strip_prefix("#/sandbox/") {
                        assert!(
                            crate::scenarios::scenario(slug).is_some(),
                            "{} links to a scenario that does not exist: {slug}",
                            chapter.slug
                        );
                    } else {
                        assert!(href.starts_with("https://"), "{}: {href}", chapter.slug);
                    }
                }
            }
        }
    }

    #[test]
    fn every_chapter_ends_with_takeaways_and_sources() {
        for chapter in CHAPTERS {
            let source = source(chapter.slug);
            assert!(source.contains("\n## Key takeaways"), "{}", chapter.slug);
            assert!(source.contains("\n## Sources"), "{}", chapter.slug);
        }
    }

    #[test]
    fn the_summary_table_is_a_table() {
        let nodes = chapter("summary").unwrap().notes_tree();
        fn has_table(nodes: &[Node]) -> bool {
            nodes.iter().any(
                |n| matches!(n, Node::Element(e) if e.tag == "table" || has_table(&e.children)),
            )
        }
        assert!(has_table(&nodes));
    }

    /// What build.rs compiled in is what rendering the file gives now.
    #[test]
    fn the_compiled_in_notes_are_the_rendered_files() {
        for chapter in CHAPTERS {
            let source = source(chapter.slug);
            let body = source
                .split_once('\n')
                .map(|(_, rest)| rest)
                .unwrap_or_default();
            assert_eq!(chapter.notes_tree(), render(body), "{}", chapter.slug);
            // The concepts files keep their title line (build.rs).
            let path = format!(
                "{}/../../static/concepts/{}.md",
                env!("CARGO_MANIFEST_DIR"),
                chapter.slug
            );
            let concepts = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(
                chapter.concepts_tree(),
                render(&concepts),
                "{}",
                chapter.slug
            );
        }
    }

    #[test]
    fn neighbours_follow_reading_order() {
        assert_eq!(neighbours("docker-basics").0, None);
        assert_eq!(
            neighbours("docker-basics").1.map(|c| c.slug),
            Some("aws-container-services")
        );
        assert_eq!(neighbours("summary").1, None);
        assert_eq!(neighbours("no-such-chapter"), (None, None));
    }
}
