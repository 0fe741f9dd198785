//! The static pages: for every address of the app, the text a learner sees
//! first, in the markup the app draws (the same elements and classes), so
//! that the page reads before the wasm arrives and does not move when the
//! app takes over. Panels that need the model running (the sandbox, the
//! editor, the simulator) arrive with the app.

use dockyard_course::chapters::{neighbours, Chapter, CHAPTERS};
use dockyard_course::lessons::{lessons, Lesson};
use dockyard_course::markdown::decode;
use dockyard_course::player::SessionPlayer;
use dockyard_course::scenarios::{ShippedScenario, SCENARIOS};
use dockyard_course::session::{base, Session};
use dockyard_model::iam::POLICY_CHECKS;
use dockyard_model::sim::REFUSALS;
use dockyard_model::taskdef::RULES;

use crate::html::{escape, nodes};

/// One page of the site.
pub(crate) struct Page {
    /// Its address under the site's root: `notes/fargate/`, or `` for the
    /// root. The file is `<address>index.html`.
    pub(crate) address: String,
    pub(crate) title: String,
    pub(crate) description: String,
    /// What goes inside `<body>`, before the app's own elements.
    pub(crate) body: String,
}

impl Page {
    /// How many directories below the root the page's file sits.
    pub(crate) fn depth(&self) -> usize {
        self.address.matches('/').count()
    }
}

/// Addresses relative to one page: what a link on that page must say to
/// reach a route (`notes/x`) of the site.
struct Links {
    up: String,
}

impl Links {
    fn at(address: &str) -> Links {
        Links {
            up: "../".repeat(address.matches('/').count()),
        }
    }

    /// `route` is a route's path under the root without its trailing slash
    /// (`notes/fargate`, `findings#policy-checks`, or `` for the root).
    fn to(&self, route: &str) -> String {
        let (route, fragment) = route.split_once('#').unwrap_or((route, ""));
        let fragment = if fragment.is_empty() {
            String::new()
        } else {
            format!("#{fragment}")
        };
        let route = route.trim_end_matches('/');
        match (self.up.as_str(), route) {
            ("", "") => format!("./{fragment}"),
            (up, "") => format!("{up}{fragment}"),
            (up, route) => format!("{up}{route}/{fragment}"),
        }
    }
}

const SUFFIX: &str = " \u{b7} Dockyard";

/// Every page of the site, in a stable order.
pub(crate) fn all() -> Vec<Page> {
    let mut pages = Vec::new();
    // The root opens the first chapter (the app moves a returning learner
    // to the chapter they last read).
    pages.push(chapter_page("", &CHAPTERS[0]));
    for chapter in CHAPTERS {
        pages.push(chapter_page(&format!("notes/{}/", chapter.slug), chapter));
    }
    pages.push(course_map());
    for lesson in lessons() {
        pages.push(lesson_page(lesson));
    }
    pages.push(sandbox_page("sandbox/", &SCENARIOS[0]));
    for scenario in SCENARIOS {
        pages.push(sandbox_page(
            &format!("sandbox/{}/", scenario.slug),
            scenario,
        ));
    }
    pages.push(compare_page(
        "compare/",
        dockyard_course::scenarios::scenario("web-on-fargate").expect("shipped"),
        dockyard_course::scenarios::scenario("web-on-ec2-capacity-provider").expect("shipped"),
    ));
    for left in SCENARIOS {
        for right in SCENARIOS.iter().filter(|right| right.slug != left.slug) {
            pages.push(compare_page(
                &format!("compare/{}/{}/", left.slug, right.slug),
                left,
                right,
            ));
        }
    }
    pages.push(shell(
        "practice/exam/",
        "Practice exam",
        "A timed exam: questions from every chapter and hands-on tasks checked by the model, weighted, with a score and a review.",
    ));
    pages.push(shell(
        "practice/",
        "Practice: review",
        "The practice questions you answered before whose wait is over, on a spaced schedule.",
    ));
    for chapter in CHAPTERS {
        if !dockyard_course::practice::of_chapter(chapter.slug).is_empty() {
            pages.push(shell(
                &format!("practice/{}/", chapter.slug),
                &format!("Practice: {}", chapter.short),
                &format!(
                    "Exam-style questions on {}, with explanations.",
                    chapter.title
                ),
            ));
        }
    }
    pages.push(shell(
        "findings/",
        "Validator findings",
        "Every finding of the task definition validator, every refusal of the sandbox and every policy check: what AWS does, why it has the rule, and where the notes teach it.",
    ));
    for rule in RULES {
        pages.push(shell(
            &format!("findings/{}/", rule.code),
            rule.code,
            rule.title,
        ));
    }
    for refusal in REFUSALS {
        pages.push(shell(
            &format!("findings/{}/", refusal.code),
            refusal.code,
            refusal.title,
        ));
    }
    for check in POLICY_CHECKS {
        pages.push(shell(
            &format!("findings/{}/", check.code),
            check.code,
            check.title,
        ));
    }
    pages.push(shell(
        "iam/",
        "Policy simulator",
        "Write an identity policy, a trust policy, a resource policy, a permissions boundary and an SCP, and see which one decides each call, as IAM evaluates them.",
    ));
    pages.push(shell(
        "editor/",
        "Task definition editor",
        "Write a task definition as ECS takes it, and see what ECS, Fargate and Dockyard's validator say about every field.",
    ));
    pages.push(shell(
        "packs/",
        "Lesson packs",
        dockyard_course::packs::PAGE_LEAD,
    ));
    pages.push(shell(
        "class/",
        "Class: receipts replayed",
        dockyard_course::receipts::class::PAGE_LEAD,
    ));
    pages.push(shell(
        "registries/",
        "Registries",
        "Push images to ECR repositories and pull them from Docker Hub, with the limits, the scanning and the lifecycle rules of each.",
    ));
    pages
}

/// The header every page has: the product, the places and the chapters.
fn header(links: &Links, current: Option<&str>) -> String {
    let mut out = String::from("<header class=\"site-header\"><div class=\"brand-row\">");
    out.push_str(&format!(
        "<a class=\"brand\" href=\"{}\"><span class=\"brand-mark\" aria-hidden=\"true\"></span><span class=\"brand-name\">Dockyard</span></a>",
        links.to("")
    ));
    out.push_str(
        "<span class=\"tagline\">Learn AWS container services: ECS, Fargate, EKS and ECR</span>",
    );
    for (route, label) in [
        ("lessons", "Lessons"),
        ("sandbox", "Sandbox"),
        ("editor", "Task definition editor"),
        ("registries", "Registries"),
        ("iam", "Policy simulator"),
        ("findings", "Findings reference"),
    ] {
        out.push_str(&format!(
            "<a class=\"header-link\" href=\"{}\">{label}</a>",
            links.to(route)
        ));
    }
    out.push_str("<label class=\"theme-picker\"><span>Theme</span><select><option value=\"system\" selected>System</option><option value=\"light\">Light</option><option value=\"dark\">Dark</option></select></label></div>");
    out.push_str("<nav class=\"course-nav\" aria-label=\"Course chapters\">");
    let mut index = 0;
    let mut chapters = CHAPTERS.iter().peekable();
    while let Some(first) = chapters.peek() {
        let part = first.part;
        out.push_str(&format!(
            "<div class=\"nav-part\"><span class=\"nav-part-name\">{}</span><ol>",
            escape(part)
        ));
        while let Some(chapter) = chapters.next_if(|c| c.part == part) {
            index += 1;
            let is_current = current == Some(chapter.slug);
            out.push_str(&format!(
                "<li><a href=\"{}\" class=\"nav-link{}\"{} title=\"{}\"><span class=\"nav-number\">{index}</span>{}</a></li>",
                links.to(&format!("notes/{}", chapter.slug)),
                if is_current { " current" } else { "" },
                if is_current { " aria-current=\"page\"" } else { "" },
                escape(chapter.title),
                escape(chapter.short),
            ));
        }
        out.push_str("</ol></div>");
    }
    out.push_str("</nav></header>");
    out
}

fn frame(links: &Links, current: Option<&str>, workspace: String) -> String {
    format!(
        "<a class=\"skip-link\" href=\"#main\">Skip to the content</a>{}<div class=\"workspace\">{workspace}</div>",
        header(links, current)
    )
}

fn tree(encoded: &str, links: &Links) -> String {
    // Figures are drawn here, as the app draws them (figures::expand).
    let tree =
        dockyard_course::figures::expand(decode(encoded).expect("build.rs wrote a valid tree"));
    nodes(&tree, &|route| links.to(route))
}

fn lessons_of(chapter: &str) -> Vec<&'static Lesson> {
    lessons().iter().filter(|l| l.chapter == chapter).collect()
}

fn chapter_page(address: &str, chapter: &'static Chapter) -> Page {
    let links = Links::at(address);
    let (previous, next) = neighbours(chapter.slug);
    let mut main = format!(
        "<main class=\"notes\" id=\"main\" tabindex=\"-1\" aria-labelledby=\"notes-heading\" data-chapter=\"{}\"><article><p class=\"part-name\">{}</p><h1 id=\"notes-heading\" tabindex=\"-1\">{}</h1>",
        chapter.slug,
        escape(chapter.part),
        escape(chapter.title)
    );
    let chapter_lessons = lessons_of(chapter.slug);
    if !chapter_lessons.is_empty() {
        main.push_str("<aside class=\"chapter-lessons\" aria-label=\"Lessons for this chapter\"><h2>Try it: lessons for this chapter</h2><ul>");
        for lesson in chapter_lessons {
            main.push_str(&format!(
                "<li><a href=\"{}\">{}</a></li>",
                links.to(&format!("lesson/{}", lesson.id)),
                escape(&lesson.title)
            ));
        }
        main.push_str("</ul></aside>");
    }
    main.push_str(&format!(
        "<div class=\"markdown\">{}</div>",
        tree(chapter.notes, &links)
    ));
    let practice = dockyard_course::practice::of_chapter(chapter.slug).len();
    if practice > 0 {
        main.push_str(&format!(
            "<p class=\"chapter-practice\"><a href=\"{}\">Practice: {practice} exam-style questions on this chapter</a></p>",
            links.to(&format!("practice/{}", chapter.slug))
        ));
    }
    main.push_str("</article>");
    main.push_str("<nav class=\"chapter-pager\" aria-label=\"Previous and next chapter\">");
    if let Some(previous) = previous {
        main.push_str(&format!(
            "<a class=\"pager-previous\" href=\"{}\" rel=\"prev\"><span class=\"pager-label\">Previous</span><span class=\"pager-title\">{}</span></a>",
            links.to(&format!("notes/{}", previous.slug)),
            escape(previous.title)
        ));
    }
    if let Some(next) = next {
        main.push_str(&format!(
            "<a class=\"pager-next\" href=\"{}\" rel=\"next\"><span class=\"pager-label\">Next</span><span class=\"pager-title\">{}</span></a>",
            links.to(&format!("notes/{}", next.slug)),
            escape(next.title)
        ));
    }
    main.push_str("</nav></main>");
    let concepts = format!(
        "<aside class=\"sandbox\" aria-label=\"Key concepts\"><section class=\"panel\"><div class=\"markdown concepts\">{}</div></section></aside>",
        tree(chapter.concepts, &links)
    );
    Page {
        address: address.to_string(),
        title: format!("{}{SUFFIX}", chapter.title),
        description: format!(
            "{}: {}, from Dockyard's notes on AWS container services.",
            chapter.part, chapter.title
        ),
        body: frame(&links, Some(chapter.slug), main + &concepts),
    }
}

fn course_map() -> Page {
    let address = "lessons/";
    let links = Links::at(address);
    let all = lessons();
    let mut main = format!(
        "<main class=\"editor-page course-map\" id=\"main\" tabindex=\"-1\" aria-labelledby=\"notes-heading\"><h1 id=\"notes-heading\" tabindex=\"-1\">Lessons</h1><p class=\"panel-lead\">0 of {} done. Each lesson opens the sandbox, or the registries page for lessons on images; the goal is checked against the model after every change, never against what you typed.</p>",
        all.len()
    );
    let mut chapters: Vec<&str> = Vec::new();
    for lesson in all {
        if !chapters.contains(&lesson.chapter) {
            chapters.push(lesson.chapter);
        }
    }
    for slug in chapters {
        let chapter = dockyard_course::chapter(slug).expect("lessons name real chapters");
        main.push_str(&format!(
            "<section class=\"map-chapter\" aria-label=\"{}\"><h2><a href=\"{}\">{}</a></h2><ol class=\"map-lessons\">",
            escape(chapter.title),
            links.to(&format!("notes/{slug}")),
            escape(chapter.title)
        ));
        for lesson in lessons_of(slug) {
            main.push_str(&format!(
                "<li class=\"map-lesson todo\"><span class=\"map-mark\">To do</span><a href=\"{}\">{}</a></li>",
                links.to(&format!("lesson/{}", lesson.id)),
                escape(&lesson.title)
            ));
        }
        main.push_str("</ol></section>");
    }
    main.push_str("</main>");
    Page {
        address: address.to_string(),
        title: format!("Lessons{SUFFIX}"),
        description: format!("{} hands-on lessons on ECS, Fargate, EKS, ECR and IAM, each checked against a model of AWS.", all.len()),
        body: frame(&links, None, main),
    }
}

/// The lesson's brief, its goal as the model judges it at the start, and
/// its chapter's notes: the side of the lesson a learner reads first.
fn lesson_page(lesson: &'static Lesson) -> Page {
    let address = format!("lesson/{}/", lesson.id);
    let links = Links::at(&address);
    let judged = lesson
        .sandbox()
        .map(|work| {
            SessionPlayer::new(Session::for_lesson(&lesson.id, work))
                .judged()
                .to_vec()
        })
        .unwrap_or_default();
    let mut panel = format!(
        "<section class=\"lesson-panel\" aria-labelledby=\"lesson-title\"><p class=\"part-name\"><a href=\"{}\">Lessons</a> \u{b7} <a href=\"{}\">the chapter</a></p><h2 id=\"lesson-title\">{}</h2><p>{}</p><ul class=\"goal\">",
        links.to("lessons"),
        links.to(&format!("notes/{}", lesson.chapter)),
        escape(&lesson.title),
        escape(&lesson.brief)
    );
    for condition in &judged {
        panel.push_str(&format!(
            "<li class=\"condition unmet\"><span class=\"verdict-mark\">Not yet</span> {}</li>",
            escape(&condition.words)
        ));
    }
    panel.push_str("</ul></section>");
    let chapter = dockyard_course::chapter(lesson.chapter).expect("lessons name real chapters");
    let notes = format!(
        "<article class=\"chapter-notes notes\" aria-labelledby=\"chapter-notes-heading\"><p class=\"part-name\">The chapter \u{b7} {}</p><h2 id=\"chapter-notes-heading\">{}</h2><div class=\"markdown\">{}</div></article>",
        escape(chapter.part),
        escape(chapter.title),
        tree(chapter.notes, &links)
    );
    let main = match lesson.sandbox() {
        Some(work) => format!(
            "<main class=\"sandbox-page\" id=\"main\" tabindex=\"-1\" aria-labelledby=\"sandbox-heading\"><header class=\"sandbox-header\"><h1 id=\"sandbox-heading\">Sandbox: {}</h1><p class=\"sandbox-description\">This lesson starts from the set-up of the scenario <a href=\"{}\">{}</a>, without the events the scenario itself goes on to play. What happens next is up to you.</p></header><div class=\"lesson-layout show-lesson\"><div class=\"lesson-side\" id=\"pane-lesson\">{panel}{notes}</div></div></main>",
            escape(&base(work.scenario).name),
            links.to(&format!("sandbox/{}", work.scenario.slug)),
            work.scenario.slug
        ),
        None => format!("<main class=\"editor-page\" id=\"main\" tabindex=\"-1\">{panel}{notes}</main>"),
    };
    Page {
        title: format!("Lesson: {}{SUFFIX}", lesson.title),
        description: lesson.brief.clone(),
        body: frame(&links, None, main),
        address,
    }
}

fn sandbox_page(address: &str, shipped: &'static ShippedScenario) -> Page {
    let links = Links::at(address);
    let scenario = base(shipped);
    let mut main = format!(
        "<main class=\"sandbox-page\" id=\"main\" tabindex=\"-1\" aria-labelledby=\"sandbox-heading\"><header class=\"sandbox-header\"><h1 id=\"sandbox-heading\">Sandbox: {}</h1><p class=\"sandbox-description\">{}</p><p class=\"compare-link\"><a href=\"{}\">Compare Fargate and EC2 side by side on one clock</a></p><nav class=\"scenario-picker\" aria-label=\"Scenarios\">",
        escape(&scenario.name),
        escape(&scenario.description),
        links.to("compare")
    );
    for other in SCENARIOS {
        main.push_str(&format!(
            "<a href=\"{}\"{}>{}</a>",
            links.to(&format!("sandbox/{}", other.slug)),
            if other.slug == shipped.slug {
                " aria-current=\"page\""
            } else {
                ""
            },
            other.slug
        ));
    }
    main.push_str("</nav></header></main>");
    Page {
        address: address.to_string(),
        title: format!("Sandbox: {}{SUFFIX}", scenario.name),
        description: scenario.description.clone(),
        body: frame(&links, None, main),
    }
}

fn compare_page(address: &str, left: &ShippedScenario, right: &ShippedScenario) -> Page {
    let links = Links::at(address);
    let heading = format!("Side by side: {} and {}", base(left).name, base(right).name);
    let main = format!(
        "<main class=\"sandbox-page compare-page\" id=\"main\" tabindex=\"-1\" aria-labelledby=\"compare-heading\"><header class=\"sandbox-header\"><h1 id=\"compare-heading\">{}</h1></header></main>",
        escape(&heading)
    );
    Page {
        address: address.to_string(),
        title: format!("{heading}{SUFFIX}"),
        description:
            "Two scenarios on one clock: the same events, and what each launch type does with them."
                .to_string(),
        body: frame(&links, None, main),
    }
}

/// A page whose panels need the app: its heading and what it is for.
fn shell(address: &str, heading: &str, lead: &str) -> Page {
    let links = Links::at(address);
    let main = format!(
        "<main class=\"editor-page\" id=\"main\" tabindex=\"-1\" aria-labelledby=\"notes-heading\"><h1 id=\"notes-heading\" tabindex=\"-1\">{}</h1><p class=\"panel-lead\">{}</p></main>",
        escape(heading),
        escape(lead)
    );
    Page {
        address: address.to_string(),
        title: format!("{heading}{SUFFIX}"),
        description: lead.to_string(),
        body: frame(&links, None, main),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_climb_to_the_root_from_any_depth() {
        assert_eq!(Links::at("").to("notes/fargate"), "notes/fargate/");
        assert_eq!(Links::at("").to(""), "./");
        assert_eq!(Links::at("notes/fargate/").to("lessons"), "../../lessons/");
        assert_eq!(Links::at("compare/a/b/").to(""), "../../../");
        assert_eq!(
            Links::at("lessons/").to("findings#policy-checks"),
            "../findings/#policy-checks"
        );
    }

    #[test]
    fn every_address_is_one_page() {
        let pages = all();
        let mut addresses: Vec<&str> = pages.iter().map(|p| p.address.as_str()).collect();
        let count = addresses.len();
        addresses.sort_unstable();
        addresses.dedup();
        assert_eq!(addresses.len(), count, "two pages share an address");
        for chapter in CHAPTERS {
            assert!(addresses.contains(&format!("notes/{}/", chapter.slug).as_str()));
        }
        for lesson in lessons() {
            assert!(addresses.contains(&format!("lesson/{}/", lesson.id).as_str()));
        }
    }

    #[test]
    fn a_chapter_page_carries_its_notes_as_text() {
        let chapter = dockyard_course::chapter("fargate").expect("a chapter");
        let page = chapter_page("notes/fargate/", chapter);
        assert!(page
            .body
            .contains("<h1 id=\"notes-heading\" tabindex=\"-1\">"));
        assert!(page.body.contains("id=\"main\""));
        // The notes' own words, not a placeholder.
        let tree = decode(chapter.notes).expect("a tree");
        let first_paragraph = tree
            .iter()
            .find_map(|node| match node {
                dockyard_course::Node::Element(e) if e.tag == "p" => Some(e.text()),
                _ => None,
            })
            .expect("a paragraph");
        let words: String = first_paragraph.chars().take(40).collect();
        assert!(page.body.contains(&escape(&words)), "{words}");
        assert_eq!(page.title, format!("{} \u{b7} Dockyard", chapter.title));
    }

    #[test]
    fn a_lesson_page_shows_its_brief_and_unmet_goal() {
        let lesson = dockyard_course::lessons::lesson("a-task-role-for-the-app").expect("a lesson");
        let page = lesson_page(lesson);
        assert!(page.body.contains(&escape(&lesson.brief)));
        assert!(page.body.contains("Not yet"));
        assert_eq!(
            page.title,
            format!("Lesson: {} \u{b7} Dockyard", lesson.title)
        );
    }
}
