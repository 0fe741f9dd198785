//! `dockyard-site DIST`: writes a page per address into the site trunk
//! built (DIST, with its index.html), so that every address of the app is a
//! real file on any static host, at any sub-path, with the page's text in
//! it before the wasm arrives.
//!
//! Each page is trunk's index.html with: the page's title and description;
//! its asset URLs made relative to its own depth (`./x.js` becomes
//! `../../x.js` two directories down); and the page's text inside
//! `<div id="prerendered">`, which the app removes once it has drawn the
//! same page.

mod html;
mod pages;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The page's head and body from trunk's index.html (minified in release
/// builds: attributes may be unquoted, `href=./x.css`).
fn page_html(template: &str, page: &pages::Page) -> Result<String, String> {
    let mut out = relative_to_depth(template, page.depth());
    out = replace_between(&out, "<title>", "</title>", &html::escape(&page.title))?;
    out = without_meta_description(&out);
    let title = out.find("<title>").ok_or("index.html has no <title>")?;
    out.insert_str(
        title,
        &format!(
            "<meta name=\"description\" content=\"{}\">",
            html::escape(&page.description)
        ),
    );
    let body = out.find("<body>").ok_or("index.html has no <body>")? + "<body>".len();
    // The end mark lets the service worker take the text out of the root
    // page when it serves it for another address offline.
    out.insert_str(
        body,
        &format!(
            "<div id=\"prerendered\">{}</div><!--/prerendered-->",
            page.body
        ),
    );
    Ok(out)
}

/// The template's relative URLs (`./x`, quoted or not), for a page `depth`
/// directories below the root. tools/sw-template.js does the same offline.
fn relative_to_depth(template: &str, depth: usize) -> String {
    if depth == 0 {
        return template.to_string();
    }
    let up = "../".repeat(depth);
    template
        .replace("\"./", &format!("\"{up}"))
        .replace("'./", &format!("'{up}"))
        .replace("=./", &format!("={up}"))
}

fn without_meta_description(html: &str) -> String {
    for marker in ["name=description", "name=\"description\""] {
        if let Some(at) = html.find(marker) {
            if let (Some(start), Some(end)) = (html[..at].rfind("<meta"), html[at..].find('>')) {
                return format!("{}{}", &html[..start], &html[at + end + 1..]);
            }
        }
    }
    html.to_string()
}

fn replace_between(text: &str, start: &str, end: &str, with: &str) -> Result<String, String> {
    let from = text
        .find(start)
        .ok_or_else(|| format!("index.html has no {start}"))?
        + start.len();
    let to = from
        + text[from..]
            .find(end)
            .ok_or_else(|| format!("index.html does not close {start}"))?;
    Ok(format!("{}{with}{}", &text[..from], &text[to..]))
}

fn write_site(dist: &Path) -> Result<usize, String> {
    let index = dist.join("index.html");
    let template = std::fs::read_to_string(&index)
        .map_err(|error| format!("{}: {error} (run trunk build first)", index.display()))?;
    if template.contains("id=\"prerendered\"") {
        return Err(format!(
            "{} already has pages written into it; build the site again first",
            index.display()
        ));
    }
    let pages = pages::all();
    for page in &pages {
        let file = dist.join(&page.address).join("index.html");
        if let Some(directory) = file.parent() {
            std::fs::create_dir_all(directory)
                .map_err(|error| format!("{}: {error}", directory.display()))?;
        }
        std::fs::write(&file, page_html(&template, page)?)
            .map_err(|error| format!("{}: {error}", file.display()))?;
    }
    Ok(pages.len())
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(dist), None) = (args.next().map(PathBuf::from), args.next()) else {
        eprintln!("usage: dockyard-site DIST (the directory trunk built, with its index.html)");
        return ExitCode::from(2);
    };
    match write_site(&dist) {
        Ok(count) => {
            println!(
                "dockyard-site: {count} pages written into {}",
                dist.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("dockyard-site: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "<!doctype html><html><head><meta name=\"description\" content=\"x\" /><title>Dockyard</title><link rel=\"stylesheet\" href=\"./style-1.css\"><link href=./icon.svg rel=icon><script type=\"module\">import init from './app-1.js';</script></head><body><noscript>n</noscript></body></html>";

    /// What trunk writes in a release build: minified, attributes unquoted.
    const MINIFIED: &str = "<!doctype html><html lang=en><meta content=\"Dockyard: learn\" name=description><title>Dockyard</title><link href=./style-1.css rel=stylesheet><script type=module>import init from './app-1.js';</script><body><noscript>n</noscript></body></html>";

    #[test]
    fn a_minified_template_takes_the_page_too() {
        let page = pages::all()
            .into_iter()
            .find(|p| p.address == "lessons/")
            .expect("the page");
        let html = page_html(MINIFIED, &page).expect("a page");
        assert!(html.contains("href=../style-1.css"), "{html}");
        assert!(html.contains("from '../app-1.js'"), "{html}");
        assert_eq!(html.matches("name=\"description\"").count(), 1, "{html}");
        assert!(!html.contains("Dockyard: learn"), "{html}");
    }

    #[test]
    fn a_page_deep_in_the_site_reaches_the_assets_at_the_root() {
        let page = pages::all()
            .into_iter()
            .find(|p| p.address == "notes/fargate/")
            .expect("the page");
        let html = page_html(TEMPLATE, &page).expect("a page");
        assert!(html.contains("href=\"../../style-1.css\""), "{html}");
        assert!(html.contains("href=../../icon.svg"), "{html}");
        assert!(html.contains("from '../../app-1.js'"), "{html}");
        assert!(
            html.contains("<title>AWS Fargate \u{b7} Dockyard</title>"),
            "{html}"
        );
        assert!(html.contains("<body><div id=\"prerendered\"><a class=\"skip-link\""));
        assert!(html.contains("<noscript>n</noscript>"));
    }

    #[test]
    fn the_root_page_keeps_its_urls() {
        let page = pages::all().into_iter().next().expect("the root");
        assert_eq!(page.address, "");
        let html = page_html(TEMPLATE, &page).expect("a page");
        assert!(html.contains("href=\"./style-1.css\""), "{html}");
    }
}
