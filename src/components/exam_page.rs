//! The timed practice exam (`practice/exam/`): questions from every chapter
//! and hands-on tasks (lessons, judged by the model), weighted, against the
//! clock; then the score and a review of every item, the missed questions
//! going into the review queue. The exam is kept in this browser while it
//! runs, so a learner can leave for a task's lesson and come back. The
//! draw, the clock's rule and the scoring are `dockyard_course`'s.

use std::collections::BTreeSet;

use dockyard_course::chapters::chapter;
use dockyard_course::lessons::lesson;
use dockyard_course::practice::exam::{Exam, QUESTION_POINTS, TASK_POINTS};
use dockyard_course::practice::question;
use dockyard_course::storage::{Key, Load};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::storage;

fn now() -> u64 {
    js_sys::Date::now() as u64
}

fn done_lessons() -> BTreeSet<String> {
    super::course_map::load_progress().0.done
}

fn load_exam() -> (Option<Exam>, Option<String>) {
    match storage::load(Key::Exam, Exam::parse) {
        Load::Found(exam) => (Some(exam), None),
        Load::Absent | Load::Refused(_) => (None, None),
        Load::SetAside(notice) => (None, Some(notice)),
    }
}

fn keep(exam: &Exam) {
    // Full or refused storage: the exam lives only in this tab.
    let _ = storage::save(Key::Exam, &exam.to_json());
}

/// Re-renders every second while the exam runs (the clock on the page).
#[hook]
fn use_second_tick(running: bool) -> u64 {
    let tick = use_state(now);
    {
        let tick = tick.clone();
        use_effect_with(running, move |running| {
            let window = web_sys::window().expect("a window");
            let handle = running.then(|| {
                let callback = Closure::<dyn FnMut()>::new(move || tick.set(now()));
                let id = window
                    .set_interval_with_callback_and_timeout_and_arguments_0(
                        callback.as_ref().unchecked_ref(),
                        1000,
                    )
                    .ok();
                (callback, id)
            });
            move || {
                if let Some((_callback, Some(id))) = handle {
                    window.clear_interval_with_handle(id);
                }
            }
        });
    }
    *tick
}

fn clock(ms: u64) -> String {
    let seconds = ms / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

const LETTERS: [&str; 5] = ["A", "B", "C", "D", "E"];

#[function_component(ExamPage)]
pub fn exam_page() -> Html {
    let loaded = use_memo((), |_| load_exam());
    let exam = use_state(|| loaded.0.clone());
    let at = use_state(|| 0usize);
    let running = exam.as_ref().is_some_and(|e| !e.over(now()));
    let tick = use_second_tick(running);
    let notice = loaded.1.clone();
    // Once it is over, its questions go into the review queue, once (the
    // exam remembers that they did, across reloads).
    let over = exam.as_ref().is_some_and(|e| e.over(tick));
    {
        let exam = exam.clone();
        use_effect_with(over, move |over| {
            if let Some(current) = (*exam).clone().filter(|e| *over && !e.recorded) {
                super::practice::record_answers(&current.score(&done_lessons()).questions);
                let mut next = current;
                next.recorded = true;
                keep(&next);
                exam.set(Some(next));
            }
        });
    }

    let start = {
        let (exam, at) = (exam.clone(), at.clone());
        Callback::from(move |_: MouseEvent| {
            let started = now();
            let drawn = Exam::draw(started, started, &done_lessons());
            keep(&drawn);
            at.set(0);
            exam.set(Some(drawn));
        })
    };
    let body = match (*exam).clone() {
        None => html! {
            <section class="exam-start" aria-labelledby="exam-about">
                <h2 id="exam-about">{ "How it works" }</h2>
                <ul>
                    <li>{ format!("{} questions from every chapter ({} point each) and {} hands-on tasks ({} points each): lessons whose goal the model checks.",
                        dockyard_course::practice::exam::QUESTIONS, QUESTION_POINTS, dockyard_course::practice::exam::TASKS, TASK_POINTS) }</li>
                    <li>{ "90 seconds a question and 10 minutes a task, on one clock that runs while you are away, as in a real exam. You may leave for a task's lesson and come back." }</li>
                    <li>{ "At the end, or when time is up: your score, and every item with its answer and explanation. What you missed goes into your review queue." }</li>
                </ul>
                <button type="button" class="exam-begin" onclick={start}>{ "Start the exam" }</button>
            </section>
        },
        Some(current) if over => {
            let score = current.score(&done_lessons());
            let again = {
                let (exam, at) = (exam.clone(), at.clone());
                Callback::from(move |_: MouseEvent| {
                    storage::forget(Key::Exam);
                    at.set(0);
                    exam.set(None);
                })
            };
            html! {
                <section class="exam-review" aria-labelledby="exam-score">
                    <h2 id="exam-score">{ format!("{} of {} points ({}%)", score.points, score.total, score.percent()) }</h2>
                    <h3>{ "Hands-on tasks" }</h3>
                    <ul class="exam-tasks">
                        { for score.tasks.iter().map(|(id, done)| html! {
                            <li class={if *done { "right" } else { "wrong" }}>
                                { format!("{} ({} points): ", lesson(id).map(|l| l.title.as_str()).unwrap_or(id.as_str()), TASK_POINTS) }
                                { if *done { "done during the exam" } else { "not done" } }
                            </li>
                        }) }
                    </ul>
                    <h3>{ "Questions" }</h3>
                    <ol class="exam-questions">
                        { for score.questions.iter().filter_map(|(id, right)| question(id).map(|q| (q, *right))).map(|(q, right)| {
                            let letters: Vec<&str> = q.answer.iter().map(|i| LETTERS[*i]).collect();
                            let yours = match current.answers.get(&q.id).filter(|a| !a.is_empty()) {
                                Some(chosen) if !right => {
                                    let mut chosen = chosen.clone();
                                    chosen.sort_unstable();
                                    let chosen: Vec<&str> = chosen.iter().filter_map(|i| LETTERS.get(*i).copied()).collect();
                                    format!("You chose {}. ", chosen.join(" and "))
                                }
                                None => "Not answered. ".to_string(),
                                Some(_) => String::new(),
                            };
                            html! {
                                <li class={if right { "right" } else { "wrong" }}>
                                    <p><strong>{ if right { "Right. " } else { "Missed. " } }</strong>{ &q.ask }</p>
                                    <p>{ yours }{ format!("The answer: {}. ", letters.join(" and ")) }{ &q.explain }{ " " }
                                        if let Some(c) = chapter(q.chapter) {
                                            <a href={crate::route::href(&format!("notes/{}/", c.slug))}>{ format!("Notes: {}", c.short) }</a>
                                        }
                                    </p>
                                </li>
                            }
                        }) }
                    </ol>
                    <button type="button" class="exam-again" onclick={again}>{ "Take another exam" }</button>
                </section>
            }
        }
        Some(current) => {
            let total = current.questions.len();
            let index = (*at).min(total.saturating_sub(1));
            let q = question(&current.questions[index]).expect("an exam's questions exist");
            let chosen = current.answers.get(&q.id).cloned().unwrap_or_default();
            let multiple = q.multiple();
            let choose = |choice: usize| {
                let exam = exam.clone();
                let id = q.id.clone();
                let chosen = chosen.clone();
                Callback::from(move |_: Event| {
                    let Some(mut next) = (*exam).clone() else {
                        return;
                    };
                    let mut now_chosen = if multiple { chosen.clone() } else { Vec::new() };
                    match now_chosen.iter().position(|c| *c == choice) {
                        Some(at) => {
                            now_chosen.remove(at);
                        }
                        None => now_chosen.push(choice),
                    }
                    next.choose(&id, now_chosen, now());
                    keep(&next);
                    exam.set(Some(next));
                })
            };
            let go = |to: usize| {
                let at = at.clone();
                Callback::from(move |_: MouseEvent| at.set(to))
            };
            let hand_in = {
                let exam = exam.clone();
                Callback::from(move |_: MouseEvent| {
                    let Some(mut next) = (*exam).clone() else {
                        return;
                    };
                    next.hand_in(now());
                    keep(&next);
                    exam.set(Some(next));
                })
            };
            let answered = current.answers.values().filter(|a| !a.is_empty()).count();
            html! {
                <>
                    <p class="exam-clock" role="timer" aria-live="off">
                        { format!("Time left {} · {} of {} answered", clock(current.left_ms(tick)), answered, total) }
                    </p>
                    <section class="exam-tasks-now" aria-labelledby="exam-tasks-heading">
                        <h2 id="exam-tasks-heading">{ format!("Hands-on tasks ({TASK_POINTS} points each)") }</h2>
                        <ul>
                            { for current.tasks.iter().map(|id| html! {
                                <li><a href={crate::route::href(&format!("lesson/{id}/"))}>{ lesson(id).map(|l| l.title.clone()).unwrap_or_else(|| id.clone()) }</a>
                                    { if done_lessons().contains(id) && !current.done_before.contains(id) { " · done" } else { "" } }</li>
                            }) }
                        </ul>
                    </section>
                    <form class="practice-question" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                        <p class="practice-count">{ format!("Question {} of {total}", index + 1) }</p>
                        <fieldset>
                            <legend>{ &q.ask }</legend>
                            { for q.choices.iter().enumerate().map(|(i, choice)| html! {
                                <label class="choice">
                                    <input type={if multiple { "checkbox" } else { "radio" }} name="exam-choice"
                                        checked={chosen.contains(&i)} onchange={choose(i)} />
                                    <span class="letter">{ LETTERS[i] }</span>{ " " }{ choice }
                                </label>
                            }) }
                        </fieldset>
                        <p class="exam-nav">
                            <button type="button" class="exam-previous" disabled={index == 0} onclick={go(index.saturating_sub(1))}>{ "Previous" }</button>
                            { " " }
                            <button type="button" class="exam-next" disabled={index + 1 >= total} onclick={go(index + 1)}>{ "Next" }</button>
                            { " " }
                            <button type="button" class="exam-hand-in" onclick={hand_in}>{ "Hand it in" }</button>
                        </p>
                    </form>
                </>
            }
        }
    };
    html! {
        <main class="practice-page exam-page" id="main" tabindex="-1" aria-labelledby="practice-heading">
            <h1 id="practice-heading" tabindex="-1">{ "Practice exam" }</h1>
            if let Some(notice) = notice {
                <p class="notice" role="status">{ notice }</p>
            }
            { body }
        </main>
    }
}
