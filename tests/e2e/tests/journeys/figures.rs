//! The notes' figures as a learner meets them: every chapter shows its
//! figures, drawn from the model by the app and already in the page before
//! it loads; each is an image with a name and its words; on a phone the
//! drawing scrolls inside its frame instead of shrinking its words.

use super::*;

/// What the page shows of its figures: for each, its id, whether its
/// drawing is a drawn SVG image named by a title, and how many points its words have.
async fn figures_on_the_page(client: &Client) -> Vec<(String, bool, u64)> {
    let found = script(
        client,
        "return [...document.querySelectorAll('main figure.figure')].map(f => {\
           const svg = f.querySelector('svg');\
           const title = svg && document.getElementById(svg.getAttribute('aria-labelledby'));\
           const words = svg && document.getElementById(svg.getAttribute('aria-describedby'));\
           const drawn = !!svg && svg.namespaceURI === 'http://www.w3.org/2000/svg' && svg.getBBox().width > 100;\
           return [f.id, drawn && svg.getAttribute('role') === 'img' && !!title && title.textContent.length > 10,\
                   words ? words.querySelectorAll('li').length : 0];\
         });",
    )
    .await;
    found
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| {
            (
                f[0].as_str().unwrap_or_default().to_string(),
                f[1].as_bool().unwrap_or(false),
                f[2].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn expected(chapter: &str) -> Vec<String> {
    dockyard_course::figures::catalogue()
        .filter(|(_, shown_in)| *shown_in == chapter)
        .map(|(id, _)| format!("figure-{id}"))
        .collect()
}

async fn check_every_chapter(client: &Client, base: &str, with_app: bool) {
    for chapter in CHAPTERS {
        client
            .goto(&format!("{base}notes/{}/", chapter.slug))
            .await
            .expect("open a chapter");
        if with_app {
            wait_for_app(client).await;
        }
        wait_for_heading(client, chapter.title).await;
        let figures = figures_on_the_page(client).await;
        let ids: Vec<String> = figures.iter().map(|(id, _, _)| id.clone()).collect();
        assert_eq!(
            ids,
            expected(chapter.slug),
            "{} (app: {with_app})",
            chapter.slug
        );
        for (id, named, words) in figures {
            assert!(named, "{id} is not a drawn SVG image with a title");
            assert!(words >= 3, "{id} has {words} points in words");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_chapter_shows_its_figures_with_and_without_the_app() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 900).await;
    check_every_chapter(&client, &server.base_url, true).await;

    // The words open under the figure, and say what the model decided.
    client
        .goto(&format!("{}notes/ecs-iam/", server.base_url))
        .await
        .expect("open the IAM chapter");
    wait_for_app(&client).await;
    click(&client, "#figure-ecs-role-chain .figure-words summary").await;
    let words = text(&client, "#figure-ecs-role-chain-words").await;
    assert!(
        words.contains(
            "Fargate, no execution role: Pull a private ECR image: nobody makes it, so it fails."
        ),
        "{words}"
    );
    for (chapter, id) in [
        ("ecs-iam", "ecs-role-chain"),
        ("ecs-core-concepts", "task-lifecycle"),
    ] {
        client
            .goto(&format!("{}notes/{chapter}/", server.base_url))
            .await
            .expect("open the chapter");
        wait_for_app(&client).await;
        for theme in ["light", "dark"] {
            reach::set_theme(&client, theme).await;
            script(
                &client,
                &format!("document.getElementById('figure-{id}').scrollIntoView(); return true;"),
            )
            .await;
            screenshot(&client, &format!("figure-{id}-{theme}.png")).await;
        }
    }
    client.close().await.expect("close the session");

    // On a phone, the drawing keeps its size and scrolls in its frame.
    let phone = driver.session(390, 844).await;
    phone
        .goto(&format!("{}notes/ecs-clusters/", server.base_url))
        .await
        .expect("open the clusters chapter");
    wait_for_app(&phone).await;
    let sizes = script(
        &phone,
        "const f = document.querySelector('#figure-tasks-across-zones .figure-frame');\
         f.scrollIntoView();\
         return [f.scrollWidth > f.clientWidth, document.documentElement.scrollWidth <= document.documentElement.clientWidth];",
    )
    .await;
    assert_eq!(
        sizes,
        serde_json::json!([true, true]),
        "the frame scrolls, the page does not"
    );
    screenshot(&phone, "figure-tasks-across-zones-phone.png").await;
    phone.close().await.expect("close the session");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_figures_are_in_the_pages_before_the_app_loads() {
    let copy = dockyard_e2e::site_without_wasm("e2e-site-figures-without-wasm");
    let server = StaticServer::start(copy);
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 900).await;
    check_every_chapter(&client, &server.base_url, false).await;
    client.close().await.expect("close the session");
}
