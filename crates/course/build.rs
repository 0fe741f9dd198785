//! Reads the course's content from its index files and compiles it in:
//!
//! - `static/notes/SUMMARY.md` (as mdBook's): the chapters in reading order,
//!   under their parts, each with its short name; a chapter's title is its
//!   file's first line. The notes are rendered to the safe tree here, so the
//!   app has no markdown parser (see src/markdown.rs; the renderer is the
//!   crate's own, included by path).
//! - `static/concepts/INDEX`: each chapter's key-concepts table, rendered too.
//! - `lessons/INDEX` and `scenarios/INDEX`: the lessons and scenarios in
//!   order, compiled in without their whitespace.
//!
//! It writes the Rust tables the crate includes (`chapters.rs`,
//! `lessons.rs`, `scenarios.rs` in OUT_DIR), and fails, naming the file, if
//! an index names a file that is not there or a file is in no index.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

// The build script compiles the crate's renderer as its own private
// modules: what the library exports is unused or unreachable from here.
#[path = "src/markdown.rs"]
#[allow(dead_code, unused_imports, unreachable_pub)]
mod markdown;
#[path = "src/render.rs"]
#[allow(unreachable_pub)]
mod render;

/// The chapters' and scenarios' slugs, for the renderer's links (the same
/// answers as the crate's own, from the indexes).
static CHAPTER_SLUGS: OnceLock<Vec<&'static str>> = OnceLock::new();
static SCENARIO_SLUGS: OnceLock<Vec<&'static str>> = OnceLock::new();

fn known_chapter(slug: &str) -> Option<&'static str> {
    known(&CHAPTER_SLUGS, slug)
}

fn known_scenario(slug: &str) -> Option<&'static str> {
    known(&SCENARIO_SLUGS, slug)
}

fn known(slugs: &OnceLock<Vec<&'static str>>, slug: &str) -> Option<&'static str> {
    slugs
        .get()
        .expect("read before rendering")
        .iter()
        .find(|s| **s == slug)
        .copied()
}

/// Stops the build with a message that says what to fix.
fn fail(message: String) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())))
}

/// Checks that `named` (slugs, from the index at `index`) are exactly the
/// files `SLUG{suffix}` in `dir`: none missing, none left out, none twice.
fn check_index(dir: &str, index: &str, suffix: &str, named: &[String]) {
    let mut seen = BTreeSet::new();
    for slug in named {
        if !seen.insert(slug) {
            fail(format!("{dir}/{index} names {slug}{suffix} twice"));
        }
        if !root().join(dir).join(format!("{slug}{suffix}")).is_file() {
            fail(format!(
                "{dir}/{index} names {slug}{suffix}, but there is no such file in {dir}/"
            ));
        }
    }
    let listing =
        std::fs::read_dir(root().join(dir)).unwrap_or_else(|e| fail(format!("{dir}/: {e}")));
    for entry in listing {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name == index {
            continue;
        }
        if let Some(slug) = name.strip_suffix(suffix) {
            if !seen.contains(&slug.to_string()) {
                fail(format!(
                    "{dir}/{name} is not in {dir}/{index}: add it there, where it belongs in the order"
                ));
            }
        }
    }
}

/// A plain index: one file name to a line, in order; blank lines and lines
/// starting with `#` are skipped. Gives the slugs (names without `suffix`).
fn plain_index(dir: &str, suffix: &str) -> Vec<String> {
    let path = root().join(dir).join("INDEX");
    println!("cargo:rerun-if-changed={}", path.display());
    let slugs: Vec<String> = read(&path)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            line.strip_suffix(suffix)
                .unwrap_or_else(|| fail(format!("{dir}/INDEX: {line:?} is not a {suffix} file")))
                .to_string()
        })
        .collect();
    check_index(dir, "INDEX", suffix, &slugs);
    slugs
}

/// A chapter as the notes' SUMMARY.md lists it.
struct Entry {
    slug: String,
    short: String,
    part: String,
}

/// static/notes/SUMMARY.md: a `# Summary` title, then `# PART` headings,
/// each followed by its chapters as `- [SHORT NAME](SLUG.md)`. HTML
/// comments and blank lines are skipped; anything else is an error.
fn summary() -> Vec<Entry> {
    let path = root().join("static/notes/SUMMARY.md");
    println!("cargo:rerun-if-changed={}", path.display());
    let mut text = read(&path);
    while let Some(start) = text.find("<!--") {
        let end = text[start..]
            .find("-->")
            .unwrap_or_else(|| fail("static/notes/SUMMARY.md: a comment is not closed".into()));
        // Keep the line count, so that errors name the right line.
        let comment = &text[start..start + end + 3];
        let lines = "\n".repeat(comment.matches('\n').count());
        text.replace_range(start..start + end + 3, &lines);
    }
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty());
    if lines.next().map(|(_, line)| line) != Some("# Summary") {
        fail("static/notes/SUMMARY.md: the first line must be \"# Summary\"".into());
    }
    let mut part: Option<String> = None;
    let mut entries = Vec::new();
    for (number, line) in lines {
        let at = || format!("static/notes/SUMMARY.md, line {}", number + 1);
        if let Some(title) = line.strip_prefix("# ") {
            part = Some(title.trim().to_string());
        } else if let Some((short, file)) = line
            .strip_prefix("- [")
            .and_then(|rest| rest.strip_suffix(')'))
            .and_then(|rest| rest.split_once("]("))
        {
            let slug = file
                .strip_suffix(".md")
                .unwrap_or_else(|| fail(format!("{}: {file:?} is not a .md file", at())));
            if slug.is_empty() || !slug.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                fail(format!(
                    "{}: {slug:?} is not a chapter name (lower-case letters and '-'): it is the chapter's URL",
                    at()
                ));
            }
            let part = part.clone().unwrap_or_else(|| {
                fail(format!("{}: a chapter before any \"# PART\" heading", at()))
            });
            entries.push(Entry {
                slug: slug.to_string(),
                short: short.to_string(),
                part,
            });
        } else {
            fail(format!(
                "{}: expected \"# PART\" or \"- [SHORT NAME](FILE.md)\", found {line:?}",
                at()
            ));
        }
    }
    let slugs: Vec<String> = entries.iter().map(|e| e.slug.clone()).collect();
    check_index("static/notes", "SUMMARY.md", ".md", &slugs);
    entries
}

/// Writes an OUT_DIR file only when its text changes, so that rebuilding the
/// content does not recompile what includes it for nothing.
fn write(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
    }
}

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let chapters = summary();
    let concepts = plain_index("static/concepts", ".md");
    let order: Vec<&str> = chapters.iter().map(|c| c.slug.as_str()).collect();
    if concepts != order {
        fail(format!(
            "static/concepts/INDEX must name one table per chapter, as its chapter, in the order of static/notes/SUMMARY.md: {order:?}"
        ));
    }
    let scenarios = plain_index("scenarios", ".scenario.json");
    let lessons = plain_index("lessons", ".lesson.json");
    let leak = |slugs: Vec<&str>| -> Vec<&'static str> {
        slugs
            .into_iter()
            .map(|s| &*Box::leak(s.to_string().into_boxed_str()))
            .collect()
    };
    CHAPTER_SLUGS.get_or_init(|| leak(order.clone()));
    SCENARIO_SLUGS.get_or_init(|| leak(scenarios.iter().map(String::as_str).collect()));

    // The notes, without their title line: the app draws a chapter's title
    // itself, so that it can take focus.
    std::fs::create_dir_all(out.join("notes")).unwrap();
    std::fs::create_dir_all(out.join("concepts")).unwrap();
    let mut table = String::from(
        "/// The chapters, in reading order (static/notes/SUMMARY.md).\npub const CHAPTERS: &[Chapter] = &[\n",
    );
    for chapter in &chapters {
        let path = root().join(format!("static/notes/{}.md", chapter.slug));
        println!("cargo:rerun-if-changed={}", path.display());
        let text = read(&path);
        let (first, body) = text.split_once('\n').unwrap_or((&text, ""));
        let title = first
            .strip_prefix("# ")
            .map(str::trim)
            .filter(|title| !title.is_empty())
            .unwrap_or_else(|| {
                fail(format!(
                    "static/notes/{}.md: the first line must be the chapter's title, as \"# TITLE\"",
                    chapter.slug
                ))
            });
        let tree = markdown::encode(&render::render(body));
        write(&out.join(format!("notes/{}.tree", chapter.slug)), &tree);
        let path = root().join(format!("static/concepts/{}.md", chapter.slug));
        println!("cargo:rerun-if-changed={}", path.display());
        let tree = markdown::encode(&render::render(&read(&path)));
        write(&out.join(format!("concepts/{}.tree", chapter.slug)), &tree);
        writeln!(
            table,
            "    Chapter {{ slug: {slug:?}, title: {title:?}, short: {short:?}, part: {part:?}, \
             notes: include_str!(concat!(env!(\"OUT_DIR\"), \"/notes/{slug}.tree\")), \
             concepts: include_str!(concat!(env!(\"OUT_DIR\"), \"/concepts/{slug}.tree\")) }},",
            slug = chapter.slug,
            short = chapter.short,
            part = chapter.part,
        )
        .unwrap();
    }
    table.push_str("];\n");
    write(&out.join("chapters.rs"), &table);

    // The shipped scenarios and lessons, without the whitespace that makes
    // them readable in the repository: the app compiles them in, and the
    // indentation alone cost about 1.7 KB of the gzipped download.
    let mut table = String::from(
        "/// The shipped scenarios, in the order a learner meets them (scenarios/INDEX).\npub const SCENARIOS: &[ShippedScenario] = &[\n",
    );
    for slug in &scenarios {
        let file = format!("scenarios/{slug}.scenario.json");
        writeln!(
            table,
            "    ShippedScenario {{ slug: {slug:?}, json: {} }},",
            minified(&out, &file)
        )
        .unwrap();
    }
    table.push_str("];\n");
    write(&out.join("scenarios.rs"), &table);
    let mut table = String::from(
        "/// Every lesson file (its name, its JSON), in course order (lessons/INDEX).\npub const LESSON_FILES: &[(&str, &str)] = &[\n",
    );
    for id in &lessons {
        let file = format!("lessons/{id}.lesson.json");
        writeln!(table, "    ({id:?}, {}),", minified(&out, &file)).unwrap();
    }
    table.push_str("];\n");
    // Solutions written as terminal commands (lessons/solutions/ID.sh), each
    // for a lesson of the index; `dockyard lesson check` tests every one.
    table.push_str(
        "/// The lessons' solutions as terminal commands (lessons/solutions/ID.sh).\npub const LESSON_SCRIPTS: &[(&str, &str)] = &[\n",
    );
    let solutions = root().join("lessons/solutions");
    let mut scripts: Vec<String> = file_names(&solutions).into_iter().collect();
    scripts.sort();
    for name in scripts {
        let Some(id) = name.strip_suffix(".sh") else {
            fail(format!(
                "lessons/solutions/{name}: only ID.sh scripts belong here"
            ));
        };
        if !lessons.iter().any(|lesson| lesson == id) {
            fail(format!(
                "lessons/solutions/{name}: no lesson {id} in lessons/INDEX"
            ));
        }
        let path = solutions.join(&name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            table,
            "    ({id:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    table.push_str("];\n");
    write(&out.join("lessons.rs"), &table);

    // Practice questions: questions/CHAPTER.questions.json, at most one per
    // chapter of the summary, in chapter order; any other file fails.
    let mut table = String::from(
        "/// Each chapter's practice questions (its slug, its JSON), in chapter order.\npub const QUESTION_FILES: &[(&str, &str)] = &[\n",
    );
    let questions = root().join("questions");
    let found = file_names(&questions);
    let chapters = CHAPTER_SLUGS.get().expect("chapters read");
    for name in &found {
        let known = name
            .strip_suffix(".questions.json")
            .is_some_and(|slug| chapters.contains(&slug));
        if !known {
            fail(format!(
                "questions/{name}: only CHAPTER.questions.json files, for a chapter of static/notes/SUMMARY.md, belong here"
            ));
        }
    }
    for slug in chapters {
        let file = format!("{slug}.questions.json");
        if found.contains(&file) {
            writeln!(
                table,
                "    ({slug:?}, {}),",
                minified(&out, &format!("questions/{file}"))
            )
            .unwrap();
        }
    }
    table.push_str("];\n");
    write(&out.join("questions.rs"), &table);

    // The folders too, so that a file added without its index line fails.
    for dir in [
        "static/notes",
        "static/concepts",
        "scenarios",
        "lessons",
        "lessons/solutions",
        "questions",
    ] {
        println!("cargo:rerun-if-changed={}", root().join(dir).display());
    }
    println!("cargo:rerun-if-changed=src/markdown.rs");
    println!("cargo:rerun-if-changed=src/render.rs");
}

/// The names of the files in `dir` (none if it does not exist), sorted.
fn file_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Writes the repository's `file` minified into OUT_DIR, and gives the
/// expression that includes it.
fn minified(out: &Path, file: &str) -> String {
    let path = root().join(file);
    println!("cargo:rerun-if-changed={}", path.display());
    let target = out.join(file);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    write(&target, &minify_json(&read(&path)));
    format!("include_str!(concat!(env!(\"OUT_DIR\"), \"/{file}\"))")
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
