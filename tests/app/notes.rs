//! The notes in the browser: every chapter renders, the summary table is a table, hostile markdown stays inert, navigation changes the view and remembers the place.

use super::*;

#[wasm_bindgen_test]
async fn every_chapter_renders_with_its_title_notes_and_key_concepts() {
    let _turn = take_turn().await;
    storage().clear().unwrap();
    set_hash("#/notes/docker-basics");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    for chapter in CHAPTERS {
        set_hash(&format!("#/notes/{}", chapter.slug));
        wait_for(chapter.slug, || {
            text_of(&root, "#notes-heading").as_deref() == Some(chapter.title)
        })
        .await;
        let paragraphs = root
            .query_selector_all("main .markdown p")
            .unwrap()
            .length();
        assert!(
            paragraphs >= 5,
            "{} shows only {paragraphs} paragraphs",
            chapter.slug
        );
        let concepts = root
            .query_selector_all("aside .concepts table")
            .unwrap()
            .length();
        assert_eq!(concepts, 1, "{} has no key-concepts table", chapter.slug);
        let title = format!("{} \u{b7} Dockyard", chapter.title);
        wait_for("the page title", || document().title() == title).await;
        let current = text_of(&root, "nav.course-nav [aria-current=page]").unwrap_or_default();
        assert!(
            current.contains(chapter.short),
            "the navigation marks {current:?}, not {}",
            chapter.short
        );
    }
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_summary_table_is_a_table() {
    let _turn = take_turn().await;
    set_hash("#/notes/summary");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the summary chapter", || {
        root.query_selector("main table").unwrap().is_some()
    })
    .await;
    let headers: Vec<String> = {
        let cells = root.query_selector_all("main table thead th").unwrap();
        (0..cells.length())
            .map(|i| cells.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert_eq!(
        headers.first().map(String::as_str),
        Some("Service"),
        "{headers:?}"
    );
    assert!(
        root.query_selector_all("main table tbody tr")
            .unwrap()
            .length()
            >= 3
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn hostile_markdown_yields_no_executable_element() {
    let _turn = take_turn().await;
    let source = "# Hi\n\n<script>window.pwned = 1</script>\n\n\
        Text <img src=x onerror=\"window.pwned = 2\"> more.\n\n\
        [click me](javascript:window.pwned=3) [tab](java\tscript:window.pwned=4) \
        ![pic](javascript:window.pwned=5) <a href=\"javascript:window.pwned=6\">raw</a>\n\n\
        <iframe src=\"javascript:window.pwned=7\"></iframe>\n";
    let root = fresh_root();
    let app = yew::Renderer::<Hostile>::with_root_and_props(
        root.clone(),
        HostileProps {
            source: source.into(),
        },
    )
    .render();
    wait_for("the hostile markdown", || {
        text_of(&root, "h1").as_deref() == Some("Hi")
    })
    .await;
    for selector in ["script", "img", "iframe", "[onerror]", "[onclick]", "[src]"] {
        assert_eq!(
            root.query_selector_all(selector).unwrap().length(),
            0,
            "found {selector}"
        );
    }
    let links = root.query_selector_all("a").unwrap();
    for i in 0..links.length() {
        let href = links
            .item(i)
            .unwrap()
            .dyn_into::<Element>()
            .unwrap()
            .get_attribute("href")
            .unwrap_or_default();
        assert!(
            !href.to_ascii_lowercase().contains("script"),
            "live link to {href}"
        );
    }
    // The raw HTML is shown to the reader as text.
    assert!(root
        .text_content()
        .unwrap()
        .contains("<script>window.pwned = 1</script>"));
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    let pwned = js_sys_get(&web_sys::window().unwrap(), "pwned");
    assert!(pwned.is_undefined(), "hostile markdown ran code: {pwned:?}");
    app.destroy();
}

#[wasm_bindgen_test]
async fn navigation_between_chapters_changes_the_view_and_remembers_the_place() {
    let _turn = take_turn().await;
    storage().clear().unwrap();
    set_hash("#/notes/ecs-iam");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the IAM chapter", || {
        text_of(&root, "#notes-heading")
            .unwrap_or_default()
            .starts_with("IAM in ECS")
    })
    .await;
    // The IAM chapter's pane asks the model who makes each call.
    assert!(root.query_selector("#who-calls-heading").unwrap().is_some());

    let next: HtmlElement = root
        .query_selector("a[rel=next]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    next.click();
    wait_for("the ECR chapter", || {
        text_of(&root, "#notes-heading")
            .unwrap_or_default()
            .starts_with("Amazon ECR")
    })
    .await;
    // A link inside the site is followed in the app: a path, no reload.
    assert_eq!(
        web_sys::window().unwrap().location().pathname().unwrap(),
        dockyard_app::route::href("notes/ecr/")
    );
    assert!(
        root.query_selector("#who-calls-heading").unwrap().is_none(),
        "the old chapter's panel stayed"
    );
    // Focus moves in an effect after the new chapter renders.
    wait_for("focus on the new chapter's heading", || {
        document().active_element().map(|e| e.id()).as_deref() == Some("notes-heading")
    })
    .await;
    wait_for("the saved place", || {
        storage()
            .get_item(&Key::Settings.name())
            .unwrap()
            .unwrap_or_default()
            .contains("\"ecr\"")
    })
    .await;
    app.destroy();

    // An empty URL reopens the remembered chapter, and says so in the URL.
    set_hash("");
    let root = fresh_root();
    let app = dockyard_app::start_in(root.clone());
    wait_for("the remembered chapter", || {
        text_of(&root, "#notes-heading")
            .unwrap_or_default()
            .starts_with("Amazon ECR")
    })
    .await;
    wait_for("the rewritten URL", || {
        web_sys::window().unwrap().location().pathname().unwrap()
            == dockyard_app::route::href("notes/ecr/")
    })
    .await;
    app.destroy();
}
