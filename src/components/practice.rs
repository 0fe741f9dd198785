//! Exam practice: a chapter's questions one at a time (`practice/<chapter>/`)
//! or the questions due for review across the course (`practice/`). The
//! learner chooses, checks, and reads why, with the chapter and, where one
//! shows it, a scenario to open; every answer goes into the review record
//! (`dockyard_course::practice::review`), kept in this browser, which brings
//! missed questions back on a spaced schedule. The questions, the judging
//! and the schedule are the course's; this page draws them.

use dockyard_course::chapters::{chapter, Chapter, CHAPTERS};
use dockyard_course::practice::review::Record;
use dockyard_course::practice::{of_chapter, question, Question};
use dockyard_course::storage::{Key, Load};
use yew::prelude::*;

use crate::storage;

#[derive(Properties, PartialEq)]
pub struct PracticePageProps {
    /// A chapter's questions; `None` for the review queue.
    #[prop_or_default]
    pub chapter: Option<&'static Chapter>,
}

/// Days since the Unix epoch, by the browser's clock.
fn today() -> u32 {
    (js_sys::Date::now() / 86_400_000.0) as u32
}

/// The practice record kept in this browser (empty if none or unreadable),
/// for the progress export.
pub(super) fn load_record() -> Record {
    load().0
}

/// Adds an imported record's answers to the one kept here; returns how
/// many answered questions came from it.
pub(super) fn merge_record(theirs: Record) -> usize {
    let mut mine = load_record();
    let taken = mine.merge(theirs);
    // Full or refused storage: what was imported is said, not kept.
    let _ = storage::save(Key::Practice, &mine.to_json());
    taken
}

/// Records an exam's answers in the review queue: each question right or
/// wrong today (an unanswered one counts as missed).
pub(super) fn record_answers(results: &[(String, bool)]) {
    let mut mine = load_record();
    for (id, right) in results {
        mine.answer(id, *right, today());
    }
    let _ = storage::save(Key::Practice, &mine.to_json());
    ask_to_persist();
}

fn load() -> (Record, Option<String>) {
    match storage::load(Key::Practice, Record::parse) {
        Load::Found(record) => (record, None),
        Load::Absent => (Record::default(), None),
        Load::SetAside(notice) => (Record::default(), Some(notice)),
        Load::Refused(error) => (
            Record::default(),
            Some(format!(
                "This browser refuses storage ({error}): answers are kept only in this tab."
            )),
        ),
    }
}

/// Asks the browser to keep this site's storage under pressure, so that
/// the review schedule is not evicted (navigator.storage.persist, where
/// the browser has it; its answer changes nothing here).
fn ask_to_persist() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    let Ok(manager) = js_sys::Reflect::get(&navigator, &"storage".into()) else {
        return;
    };
    let Ok(persist) = js_sys::Reflect::get(&manager, &"persist".into()) else {
        return;
    };
    if let Some(persist) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&persist) {
        let _ = persist.call0(&manager);
    }
}

const LETTERS: [&str; 5] = ["A", "B", "C", "D", "E"];

#[function_component(PracticePage)]
pub fn practice_page(props: &PracticePageProps) -> Html {
    let loaded = use_memo((), |_| load());
    let record = use_state(|| loaded.0.clone());
    // The questions of this round, fixed when the page opens.
    let round: std::rc::Rc<Vec<&'static Question>> =
        use_memo(props.chapter.map(|c| c.slug), |slug| match slug {
            Some(slug) => of_chapter(slug),
            None => record
                .due(today())
                .into_iter()
                .filter_map(question)
                .collect(),
        });
    let at = use_state(|| 0usize);
    let chosen = use_state(Vec::<usize>::new);
    let checked = use_state(|| false);
    let right_count = use_state(|| 0usize);

    let (heading, intro) = match props.chapter {
        Some(c) => (
            format!("Practice: {}", c.short),
            format!("{} questions on {}, in the style of the associate exams. Choose, check, and read why.", round.len(), c.title),
        ),
        None => (
            "Practice: review".to_string(),
            "The questions you answered before whose wait is over: a missed question comes back the next day, and each right answer makes it wait longer.".to_string(),
        ),
    };
    let notice = loaded.1.clone();
    let body = if round.is_empty() {
        html! { <p class="practice-empty">{ "Nothing is due for review today. Practise a chapter below, and what you miss will come back here." }</p> }
    } else if *at >= round.len() {
        html! {
            <section class="practice-done" aria-labelledby="practice-score">
                <h2 id="practice-score">{ format!("{} of {} right", *right_count, round.len()) }</h2>
                <p>{ "What you missed comes back under Review on a spaced schedule." }</p>
                <button type="button" class="practice-again" onclick={{
                    let (at, chosen, checked, right_count) = (at.clone(), chosen.clone(), checked.clone(), right_count.clone());
                    move |_| { at.set(0); chosen.set(Vec::new()); checked.set(false); right_count.set(0); }
                }}>{ "Start again" }</button>
            </section>
        }
    } else {
        let q = round[*at];
        let multiple = q.multiple();
        let toggle = |index: usize| {
            let chosen = chosen.clone();
            let checked = checked.clone();
            Callback::from(move |_: Event| {
                if *checked {
                    return;
                }
                let mut now = if multiple {
                    (*chosen).clone()
                } else {
                    Vec::new()
                };
                if let Some(at) = now.iter().position(|c| *c == index) {
                    now.remove(at);
                } else {
                    now.push(index);
                }
                chosen.set(now);
            })
        };
        let on_check = {
            let (chosen, checked, record, right_count) = (
                chosen.clone(),
                checked.clone(),
                record.clone(),
                right_count.clone(),
            );
            let id = q.id.clone();
            let right = q.is_right(&chosen);
            Callback::from(move |_: MouseEvent| {
                if chosen.is_empty() || *checked {
                    return;
                }
                let mut next = (*record).clone();
                next.answer(&id, right, today());
                // Full or refused storage: the record lives in the page.
                let _ = storage::save(Key::Practice, &next.to_json());
                ask_to_persist();
                record.set(next);
                if right {
                    right_count.set(*right_count + 1);
                }
                checked.set(true);
            })
        };
        let on_next = {
            let (at, chosen, checked) = (at.clone(), chosen.clone(), checked.clone());
            Callback::from(move |_: MouseEvent| {
                at.set(*at + 1);
                chosen.set(Vec::new());
                checked.set(false);
            })
        };
        let right = q.is_right(&chosen);
        let answer_letters: Vec<&str> = q.answer.iter().map(|i| LETTERS[*i]).collect();
        let kind = if multiple { "checkbox" } else { "radio" };
        html! {
            <form class="practice-question" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <p class="practice-count">{ format!("Question {} of {}", *at + 1, round.len()) }
                    if props.chapter.is_none() {
                        { format!(" · {}", chapter(q.chapter).map(|c| c.short).unwrap_or_default()) }
                    }
                </p>
                <fieldset>
                    <legend>{ &q.ask }</legend>
                    { for q.choices.iter().enumerate().map(|(index, choice)| {
                        let mark = if *checked && q.answer.contains(&index) { "choice right" }
                            else if *checked && chosen.contains(&index) { "choice wrong" } else { "choice" };
                        html! {
                            <label class={mark}>
                                <input type={kind} name="practice-choice" checked={chosen.contains(&index)}
                                    disabled={*checked} onchange={toggle(index)} />
                                <span class="letter">{ LETTERS[index] }</span>{ " " }{ choice }
                            </label>
                        }
                    }) }
                </fieldset>
                if *checked {
                    <div class={classes!("practice-verdict", if right { "right" } else { "wrong" })} role="status">
                        <p><strong>{ if right { "Right." } else { "Not quite." } }</strong>
                            { format!(" The answer: {}.", answer_letters.join(" and ")) }</p>
                        <p>{ &q.explain }</p>
                        <p class="practice-links">
                            if let Some(c) = chapter(q.chapter) {
                                <a href={crate::route::href(&format!("notes/{}/", c.slug))}>{ format!("Read: {}", c.title) }</a>
                            }
                            if let Some(slug) = q.sandbox {
                                { " · " }<a href={crate::route::href(&format!("sandbox/{slug}/"))}>{ "See it in the sandbox" }</a>
                            }
                            if q.claim.is_some() {
                                { " · " }<span class="practice-checked">{ "The rule this question states is checked against Dockyard's model by its tests." }</span>
                            }
                        </p>
                        <button type="button" class="practice-next" onclick={on_next}>
                            { if *at + 1 == round.len() { "See the score" } else { "Next question" } }
                        </button>
                    </div>
                } else {
                    <button type="button" class="practice-check" onclick={on_check} disabled={chosen.is_empty()}>
                        { if multiple { format!("Check ({} to choose)", q.answer.len()) } else { "Check".to_string() } }
                    </button>
                }
            </form>
        }
    };
    let due = record.due(today()).len();
    html! {
        <main class="practice-page" id="main" tabindex="-1" aria-labelledby="practice-heading">
            <h1 id="practice-heading" tabindex="-1">{ heading }</h1>
            <p class="practice-intro">{ intro }</p>
            if let Some(notice) = notice {
                <p class="notice" role="status">{ notice }</p>
            }
            { body }
            <nav class="practice-chapters" aria-label="Practice by chapter">
                <h2>{ "Practice by chapter" }</h2>
                <p><a href={crate::route::href("practice/")}>{ format!("Review: {due} due today") }</a>
                    { " · " }<a href={crate::route::href("practice/exam/")}>{ "Take a timed practice exam" }</a></p>
                <ul>
                    { for CHAPTERS.iter().map(|c| {
                        let ids: Vec<&str> = of_chapter(c.slug).iter().map(|q| q.id.as_str()).collect();
                        html! {
                            <li><a href={crate::route::href(&format!("practice/{}/", c.slug))}
                                aria-current={(props.chapter.map(|p| p.slug) == Some(c.slug)).then_some("page")}>{ c.title }</a>
                                { format!(" ({} of {} answered right)", record.known(&ids), ids.len()) }</li>
                        }
                    }) }
                </ul>
            </nav>
        </main>
    }
}
