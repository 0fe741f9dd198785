//! Renders the notes and key-concepts files to the safe tree when Dockyard
//! is built, so the app compiles in the result and no markdown parser (see
//! src/markdown.rs). The renderer is the crate's own, included by path.

use std::path::{Path, PathBuf};

#[path = "src/markdown.rs"]
#[allow(dead_code, unused_imports)]
mod markdown;
#[path = "src/render.rs"]
mod render;

fn slugs(dir: &Path, suffix: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(slug) = name.strip_suffix(suffix) {
            found.push(&*Box::leak(slug.to_string().into_boxed_str()));
        }
    }
    found
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The same answers as the crate's own, from the files.
fn known_chapter(slug: &str) -> Option<&'static str> {
    slugs(&root().join("static/notes"), ".md")
        .into_iter()
        .find(|s| *s == slug)
}

fn known_scenario(slug: &str) -> Option<&'static str> {
    slugs(&root().join("scenarios"), ".scenario.json")
        .into_iter()
        .find(|s| *s == slug)
}

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    for (dir, skip_title) in [("notes", true), ("concepts", false)] {
        let from = root().join("static").join(dir);
        println!("cargo:rerun-if-changed={}", from.display());
        std::fs::create_dir_all(out.join(dir)).unwrap();
        for slug in slugs(&from, ".md") {
            let text = std::fs::read_to_string(from.join(format!("{slug}.md"))).unwrap();
            // The app draws a chapter's title itself, so that it can take focus.
            let body = if skip_title {
                text.split_once('\n')
                    .map(|(_, rest)| rest)
                    .unwrap_or_default()
            } else {
                &text
            };
            let tree = markdown::encode(&render::render(body));
            std::fs::write(out.join(dir).join(format!("{slug}.tree")), tree).unwrap();
        }
    }
    println!(
        "cargo:rerun-if-changed={}",
        root().join("scenarios").display()
    );
    println!("cargo:rerun-if-changed=src/markdown.rs");
    println!("cargo:rerun-if-changed=src/render.rs");
}
