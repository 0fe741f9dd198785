//! Every chapter shows a figure; each figure is accessible, says in words
//! what it draws, and agrees with the model; the drawings are pinned.

use std::collections::BTreeMap;
use std::path::PathBuf;

use dockyard_model::principals::{who_calls, Call, Platform, RoleSetup};
use dockyard_model::storage::{survives, DataEvent, VolumeType};

use super::*;
use crate::markdown::{decode, Element, Node};
use crate::CHAPTERS;

fn elements<'a>(nodes: &'a [Node], out: &mut Vec<&'a Element>) {
    for node in nodes {
        if let Node::Element(element) = node {
            out.push(element);
            elements(&element.children, out);
        }
    }
}

fn all_elements(element: &Element) -> Vec<&Element> {
    let mut out = vec![element];
    elements(&element.children, &mut out);
    out
}

fn chapter_figures() -> BTreeMap<&'static str, Vec<String>> {
    CHAPTERS
        .iter()
        .map(|chapter| {
            let tree = decode(chapter.notes).expect("a shipped chapter decodes");
            (chapter.slug, placeholders(&tree))
        })
        .collect()
}

#[test]
fn every_chapter_shows_a_figure_and_every_figure_is_shown_once_in_its_chapter() {
    let shown = chapter_figures();
    for (slug, ids) in &shown {
        assert!(!ids.is_empty(), "chapter {slug} has no figure");
    }
    for (id, chapter) in catalogue() {
        let places: Vec<&&str> = shown
            .iter()
            .filter(|(_, ids)| ids.iter().any(|shown_id| shown_id == id))
            .map(|(slug, _)| slug)
            .collect();
        assert_eq!(
            places,
            vec![&chapter],
            "figure {id} is shown in {places:?}, not once in {chapter}"
        );
    }
    for ids in shown.values() {
        for id in ids {
            assert!(
                draw(id).is_some(),
                "a chapter places {id:?}, which no figure is"
            );
        }
    }
}

#[test]
fn each_figure_is_an_image_named_and_described_in_words() {
    for (id, _) in catalogue() {
        let figure = draw(id).expect("listed figures draw");
        let svg = &figure.drawing;
        assert_eq!(svg.tag, "svg");
        assert_eq!(svg.attr("role"), Some("img"), "{id}");
        assert_eq!(
            svg.attr("aria-labelledby"),
            Some(format!("figure-{id}-title").as_str())
        );
        assert_eq!(
            svg.attr("aria-describedby"),
            Some(format!("figure-{id}-words").as_str())
        );
        let title = all_elements(svg)
            .into_iter()
            .find(|e| e.tag == "title")
            .expect("a title");
        assert_eq!(title.text(), figure.title, "{id}");
        assert!(
            figure.title.len() > 10 && figure.caption.len() > 40,
            "{id}: say what it shows"
        );
        assert!(
            figure.words.len() >= 3,
            "{id}: the words must say what the drawing does"
        );
        // The words are on the page, with the id the drawing points to.
        let page = figure.element();
        let words = all_elements(&page)
            .into_iter()
            .find(|e| e.attr("id") == Some(format!("figure-{id}-words").as_str()))
            .expect("the words' list");
        assert_eq!(words.children.len(), figure.words.len());
        // Every label in the drawing is short enough for its place, and
        // none is empty.
        for text in all_elements(svg).into_iter().filter(|e| e.tag == "text") {
            assert!(!text.text().trim().is_empty(), "{id}: an empty label");
        }
        // Nothing is drawn outside the canvas.
        let view: Vec<i32> = svg
            .attr("viewBox")
            .unwrap()
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        for shape in all_elements(svg) {
            for (name, limit) in [
                ("x", view[2]),
                ("y", view[3]),
                ("cx", view[2]),
                ("cy", view[3]),
            ] {
                if let Some(value) = shape.attr(name) {
                    let value: i32 = value.parse().unwrap();
                    assert!(
                        (0..=limit).contains(&value),
                        "{id}: {} {name}={value} outside 0..{limit}",
                        shape.tag
                    );
                }
            }
        }
    }
}

/// The cells of a grid figure, in drawing order: the text of each box
/// below the header row.
fn cell_words(figure: &Figure) -> Vec<String> {
    all_elements(&figure.drawing)
        .into_iter()
        .filter(|e| {
            e.tag == "text"
                && e.attr("y")
                    .and_then(|y| y.parse::<i32>().ok())
                    .is_some_and(|y| y > svg::GRID_HEAD)
        })
        .filter(|e| e.attr("text-anchor") == Some("middle"))
        .map(Element::text)
        .collect()
}

#[test]
fn the_role_chains_say_what_the_model_decides() {
    let figure = draw("role-chain-every-platform").unwrap();
    let cells = cell_words(&figure);
    let mut expected = Vec::new();
    for call in Call::ALL {
        for platform in Platform::ALL {
            expected.push(
                roles::short_name(who_calls(platform, call, RoleSetup::COMPLETE).principal)
                    .to_string(),
            );
        }
    }
    assert_eq!(cells, expected);
    // The correction at the heart of the course, in the picture: on Fargate
    // the execution role pulls, and without one, nothing does.
    let ecs = draw("ecs-role-chain").unwrap();
    let cells = cell_words(&ecs);
    let pull_row = &cells[0..4];
    assert_eq!(
        pull_row,
        [
            "execution role",
            "instance profile",
            "execution role",
            "nobody: it fails"
        ]
    );
}

#[test]
fn what_survives_says_what_the_model_decides() {
    let figure = draw("what-survives").unwrap();
    let cells = cell_words(&figure);
    let mut expected = Vec::new();
    for volume in VolumeType::ALL {
        for event in DataEvent::ALL {
            expected.push(
                if survives(volume, event).kept {
                    "kept"
                } else {
                    "lost"
                }
                .to_string(),
            );
        }
    }
    assert_eq!(cells, expected);
}

#[test]
fn the_lifecycle_is_the_models_run_in_order() {
    let figure = draw("task-lifecycle").unwrap();
    let fargate = &figure.words[1];
    assert!(
        fargate.starts_with("On Fargate: PROVISIONING at 0 s"),
        "{fargate}"
    );
    let ec2 = &figure.words[2];
    assert!(ec2.starts_with("On EC2: PROVISIONING at 0 s"), "{ec2}");
    assert!(ec2.contains("RUNNING at"), "{ec2}");
    let order: Vec<usize> = ["PROVISIONING", "PENDING", "RUNNING", "STOPPING", "STOPPED"]
        .iter()
        .map(|state| {
            fargate
                .find(state)
                .unwrap_or_else(|| panic!("{state} missing: {fargate}"))
        })
        .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{fargate}");
}

#[test]
fn the_cluster_figure_loses_a_zone_and_keeps_six_tasks() {
    let figure = draw("tasks-across-zones").unwrap();
    let discs = |left: bool| {
        all_elements(&figure.drawing)
            .into_iter()
            .filter(|e| e.tag == "circle")
            .filter(|e| (e.attr("cx").unwrap().parse::<i32>().unwrap() < 440) == left)
            .count()
    };
    assert_eq!(discs(true), 6, "six tasks before the outage");
    assert_eq!(
        discs(false),
        6,
        "six tasks again after the scheduler replaced the lost ones"
    );
    assert!(
        figure.words.iter().any(|w| w.contains("us-east-1a: lost")),
        "{:?}",
        figure.words
    );
}

/// Where the pinned drawings live; `DOCKYARD_BLESS_FIGURES=1` rewrites them.
fn pinned(id: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/figures")
        .join(format!("{id}.svg.txt"))
}

fn as_text(figure: &Figure) -> String {
    let mut out = String::new();
    write_tree(&[Node::Element(figure.drawing.clone())], 0, &mut out);
    for point in &figure.words {
        out.push_str(&format!("- {point}\n"));
    }
    out
}

fn write_tree(nodes: &[Node], depth: usize, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(&format!("{}\"{text}\"\n", "  ".repeat(depth))),
            Node::Element(element) => {
                let attrs: Vec<String> = element
                    .attrs
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                out.push_str(&format!(
                    "{}{} {}\n",
                    "  ".repeat(depth),
                    element.tag,
                    attrs.join(" ")
                ));
                write_tree(&element.children, depth + 1, out);
            }
        }
    }
}

#[test]
fn every_drawing_is_pinned_so_that_a_change_in_the_model_is_seen() {
    let bless = std::env::var_os("DOCKYARD_BLESS_FIGURES").is_some();
    let mut changed = Vec::new();
    for (id, _) in catalogue() {
        let now = as_text(&draw(id).unwrap());
        let path = pinned(id);
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &now).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(before) if before == now => {}
            Ok(_) => changed.push(format!("{id} drew differently")),
            Err(_) => changed.push(format!("{id} has no pinned drawing")),
        }
    }
    assert!(
        changed.is_empty(),
        "{}\nIf the change is meant (the model or the figure changed), look at the figures, then run with DOCKYARD_BLESS_FIGURES=1 and commit crates/course/tests/figures.",
        changed.join("\n")
    );
}

#[test]
fn a_placeholder_for_no_figure_says_so_and_the_rest_are_drawn() {
    let tree = crate::render("```figure\nno-such-figure\n```\n\n```figure\nfargate-sizes\n```\n");
    assert_eq!(placeholders(&tree), ["no-such-figure", "fargate-sizes"]);
    let drawn = expand(tree);
    let mut found = Vec::new();
    elements(&drawn, &mut found);
    assert!(found
        .iter()
        .any(|e| e.attr("class") == Some("figure-missing") && e.text().contains("no-such-figure")));
    assert!(found.iter().any(|e| e.tag == "svg"));
    // A figure's id survives encoding, which is how chapters reach the app.
    let encoded = crate::markdown::encode(&crate::render("```figure\nfargate-sizes\n```\n"));
    assert_eq!(placeholders(&decode(&encoded).unwrap()), ["fargate-sizes"]);
}
