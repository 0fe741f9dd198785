//! Exam practice as a learner meets it: a chapter's questions one at a
//! time, checked with the explanation and the way to the notes; answers
//! kept in the browser, a missed question due again the next day in the
//! review queue; the page reads before the app too.

use super::*;

/// The chapter's questions as the course has them: (ask, right choices).
fn first_question(chapter: &str) -> &'static dockyard_course::practice::Question {
    dockyard_course::practice::of_chapter(chapter)[0]
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_practises_a_chapter_and_what_they_missed_comes_back() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    // From the chapter's page, where the notes end.
    client
        .goto(&format!("{}notes/ecs-iam/", server.base_url))
        .await
        .unwrap();
    wait_for_app(&client).await;
    click(&client, ".chapter-practice a").await;
    wait_for_place(&client, "practice/ecs-iam/").await;
    wait_for_text(&client, "#practice-heading", "Practice: IAM roles").await;
    let question = first_question("ecs-iam");
    let legend = text(&client, ".practice-question legend").await;
    assert_eq!(legend, question.ask);
    // A wrong answer: the first choice that is not right.
    let wrong = (0..question.choices.len())
        .find(|i| !question.answer.contains(i))
        .unwrap();
    let inputs = client
        .find_all(Locator::Css(".practice-question input"))
        .await
        .unwrap();
    assert_eq!(inputs.len(), question.choices.len());
    click_element(&client, inputs[wrong].clone()).await;
    click(&client, ".practice-check").await;
    wait_for_text(&client, ".practice-verdict", "Not quite.").await;
    let verdict = text(&client, ".practice-verdict").await;
    assert!(verdict.contains(&question.explain), "{verdict}");
    assert!(verdict.contains("Read: IAM in ECS"), "{verdict}");
    screenshot(&client, "practice-missed.png").await;
    // The answer is kept, due again tomorrow: not in today's review.
    let saved = script(
        &client,
        "return JSON.parse(localStorage.getItem('dockyard.v2.practice')).cards;",
    )
    .await;
    let card = &saved[question.id.as_str()];
    assert_eq!(card["box"], 1, "{saved}");
    assert_eq!(card["wrong"], 1, "{saved}");
    // The next question, answered right.
    click(&client, ".practice-next").await;
    wait_for_text(&client, ".practice-count", "Question 2 of").await;
    let second = dockyard_course::practice::of_chapter("ecs-iam")[1];
    let inputs = client
        .find_all(Locator::Css(".practice-question input"))
        .await
        .unwrap();
    for index in &second.answer {
        click_element(&client, inputs[*index].clone()).await;
    }
    click(&client, ".practice-check").await;
    wait_for_text(&client, ".practice-verdict", "Right.").await;

    client
        .goto(&format!("{}practice/", server.base_url))
        .await
        .unwrap();
    wait_for_text(&client, "#practice-heading", "Practice: review").await;
    let empty = text(&client, ".practice-empty").await;
    assert!(
        empty.starts_with("Nothing is due for review today"),
        "{empty}"
    );
    // A day later (the record's due date moved back a day), it is due.
    script(
        &client,
        "const r = JSON.parse(localStorage.getItem('dockyard.v2.practice'));\
         for (const c of Object.values(r.cards)) { c.due -= 1; }\
         localStorage.setItem('dockyard.v2.practice', JSON.stringify(r)); return null;",
    )
    .await;
    client.refresh().await.unwrap();
    wait_for_text(&client, "#practice-heading", "Practice: review").await;
    wait_for_text(&client, ".practice-count", "Question 1 of 1").await;
    assert_eq!(
        text(&client, ".practice-question legend").await,
        question.ask
    );
    screenshot(&client, "practice-review.png").await;

    // A record that does not parse is set aside, said, and practice goes on.
    script(
        &client,
        "localStorage.setItem('dockyard.v2.practice', '{not json'); return null;",
    )
    .await;
    client.refresh().await.unwrap();
    wait_for_text(&client, "#practice-heading", "Practice: review").await;
    let notice = text(&client, ".practice-page .notice").await;
    assert!(notice.contains("practice record"), "{notice}");
    let aside = script(
        &client,
        "return localStorage.getItem('dockyard.v2.practice.unreadable');",
    )
    .await;
    assert_eq!(aside, Value::from("{not json"));
}

/// Issue 22: the timed exam. Started, answered (one right, one wrong),
/// handed in: the score by weight, every item reviewed, the missed
/// question in the review queue; a reload keeps the finished exam and does
/// not count its answers twice.
#[tokio::test(flavor = "multi_thread")]
async fn a_learner_takes_a_timed_exam_and_reviews_it() {
    let server = StaticServer::start(dist_dir());
    let driver = ChromeDriver::start();
    let client = driver.session(1366, 1000).await;
    client
        .goto(&format!("{}practice/exam/", server.base_url))
        .await
        .unwrap();
    wait_for_text(&client, "#practice-heading", "Practice exam").await;
    click(&client, ".exam-begin").await;
    wait_for_text(&client, ".exam-clock", "Time left 50:").await;
    let tasks = text(&client, ".exam-tasks-now").await;
    assert!(
        tasks.starts_with("Hands-on tasks (5 points each)"),
        "{tasks}"
    );
    let exam = script(
        &client,
        "return JSON.parse(localStorage.getItem('dockyard.v2.exam'));",
    )
    .await;
    let ids: Vec<String> = exam["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 20);
    let answer = |id: &str, right: bool| {
        let q = dockyard_course::practice::question(id).unwrap();
        if right {
            q.answer.clone()
        } else {
            vec![(0..q.choices.len())
                .find(|i| !q.answer.contains(i))
                .unwrap()]
        }
    };
    for (index, right) in [(0usize, true), (1, false)] {
        wait_for_text(
            &client,
            ".practice-count",
            &format!("Question {} of 20", index + 1),
        )
        .await;
        let inputs = client
            .find_all(Locator::Css(".practice-question input"))
            .await
            .unwrap();
        for choice in answer(&ids[index], right) {
            click_element(&client, inputs[choice].clone()).await;
        }
        click(&client, ".exam-next").await;
    }
    screenshot(&client, "exam-running.png").await;
    click(&client, ".exam-hand-in").await;
    wait_for_text(&client, "#exam-score", "1 of 30 points (3%)").await;
    let review = text(&client, ".exam-review").await;
    assert!(review.contains("Missed."), "{review}");
    assert!(review.contains("You chose "), "{review}");
    assert!(review.contains("Not answered."), "{review}");
    assert!(review.contains("not done"), "{review}");
    screenshot(&client, "exam-review.png").await;
    let practice = || async {
        script(
            &client,
            "return JSON.parse(localStorage.getItem('dockyard.v2.practice')).cards;",
        )
        .await
    };
    let cards = practice().await;
    assert_eq!(cards[ids[1].as_str()]["wrong"], 1, "{cards}");
    assert_eq!(cards[ids[0].as_str()]["right"], 1, "{cards}");
    // A reload shows the same result and counts nothing twice.
    client.refresh().await.unwrap();
    wait_for_text(&client, "#exam-score", "1 of 30 points (3%)").await;
    assert_eq!(practice().await, cards);
}
