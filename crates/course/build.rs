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
    // The shipped scenarios and lessons, without the whitespace that makes
    // them readable in the repository: the app compiles them in, and the
    // indentation alone cost about 1.7 KB of the gzipped download.
    for (dir, suffix) in [("scenarios", ".scenario.json"), ("lessons", ".lesson.json")] {
        let from = root().join(dir);
        println!("cargo:rerun-if-changed={}", from.display());
        std::fs::create_dir_all(out.join(dir)).unwrap();
        for slug in slugs(&from, suffix) {
            let name = format!("{slug}{suffix}");
            let text = std::fs::read_to_string(from.join(&name)).unwrap();
            std::fs::write(out.join(dir).join(name), minify_json(&text)).unwrap();
        }
    }
    println!("cargo:rerun-if-changed=src/markdown.rs");
    println!("cargo:rerun-if-changed=src/render.rs");
}

/// JSON text without the whitespace between tokens; strings are copied as
/// written (escapes included), so the value is exactly the same. Text that
/// is not JSON comes out just as unreadable, and the tests that parse every
/// shipped file say where.
fn minify_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if !c.is_ascii_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}
