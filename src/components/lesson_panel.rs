//! A lesson beside its sandbox: what to do, each condition of the goal as
//! met or not (judged by the model on the sandbox's world), hints one at a
//! time, and the reference solution behind a confirmation.

use dockyard_course::lessons::{Answer, Judged, Lesson};
use dockyard_course::receipts::Receipt;
use yew::prelude::*;

#[derive(Properties)]
pub struct LessonPanelProps {
    /// A shipped lesson (they are parsed once).
    pub lesson: &'static Lesson,
    /// The goal as the player last judged it.
    pub judged: Vec<Judged>,
    /// The learner's answer so far (their steps, or registry actions):
    /// what a receipt carries.
    pub answer: Answer,
}

/// The lesson is compared by identity: it is the same parsed lesson for as
/// long as the sandbox shows it, and a deep comparison would cost code.
impl PartialEq for LessonPanelProps {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.lesson, other.lesson)
            && self.judged == other.judged
            && self.answer == other.answer
    }
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonPanelProps) -> Html {
    let lesson = props.lesson;
    // Hints shown, and the solution: 0 hidden, 1 asking, 2 shown.
    let hints = use_state(|| 0usize);
    let solution = use_state(|| 0u8);
    // A receipt's name, and when the lesson was opened (its time spent).
    let name = use_state(String::new);
    let opened = use_state(js_sys::Date::now);
    // Focus follows what a button revealed, and never falls to the page
    // when the button itself goes: the last hint, the question, the
    // solution, or the button again after "Not yet".
    let hints_ref = use_node_ref();
    let show_ref = use_node_ref();
    let confirm_ref = use_node_ref();
    let solution_ref = use_node_ref();
    {
        let hints_ref = hints_ref.clone();
        let all_shown = *hints == lesson.hints.len() && *hints > 0;
        use_effect_with(all_shown, move |all_shown| {
            if *all_shown {
                focus(&hints_ref);
            }
        });
    }
    {
        let refs = (show_ref.clone(), confirm_ref.clone(), solution_ref.clone());
        let first = use_mut_ref(|| true);
        use_effect_with(*solution, move |solution| {
            if std::mem::replace(&mut *first.borrow_mut(), false) {
                return;
            }
            match solution {
                0 => focus(&refs.0),
                1 => focus(&refs.1),
                _ => focus(&refs.2),
            }
        });
    }
    let met = !props.judged.is_empty() && props.judged.iter().all(|j| j.met);
    // A course page that embeds the lesson (`?embed`) hears what the
    // learner did (crate::embed says how).
    {
        let id = lesson.id.clone();
        use_effect_with(id, |id| {
            crate::embed::tell_host("lesson-started", id, serde_json::json!({}));
        });
    }
    {
        let id = lesson.id.clone();
        use_effect_with(*hints, move |used| {
            if *used > 0 {
                crate::embed::tell_host("hint-used", &id, serde_json::json!({ "hintsUsed": used }));
            }
        });
    }
    {
        let id = lesson.id.clone();
        let said = serde_json::json!({ "hintsUsed": *hints, "solutionShown": *solution == 2 });
        // The answer as it was when the goal was met, kept for a pack's
        // receipt (the learner names it when they download it).
        let kept = met.then(|| {
            let mut receipt = Receipt::new(lesson, "unnamed", &props.answer, *hints as u32);
            receipt.seconds_spent =
                Some(((js_sys::Date::now() - *opened) / 1000.0).max(0.0) as u64);
            receipt.to_json()
        });
        use_effect_with(met, move |met| {
            if *met {
                crate::embed::tell_host("goal-met", &id, said);
                if let Some(kept) = kept {
                    let _ =
                        crate::storage::save(dockyard_course::storage::Key::Receipt(&id), &kept);
                }
            }
        });
    }
    // A pack lesson leads to the next of its pack, and back to the packs.
    let pack = lesson
        .id
        .split_once('/')
        .and_then(|(pack, _)| dockyard_course::packs::offered_pack(pack));
    let next: Option<String> = match pack {
        Some(offered) => offered.next_after(&lesson.id).map(|l| l.id.clone()),
        None => dockyard_course::lessons::LESSON_FILES
            .iter()
            .skip_while(|(id, _)| *id != lesson.id)
            .nth(1)
            .map(|(id, _)| id.to_string()),
    };
    let (all_lessons, all_label) = match pack {
        Some(offered) => ("packs/", offered.pack.title.clone()),
        None => ("lessons/", "Lessons".to_string()),
    };
    let more_hint = {
        let hints = hints.clone();
        Callback::from(move |_: MouseEvent| hints.set(*hints + 1))
    };
    let set_solution = |to: u8| {
        let solution = solution.clone();
        Callback::from(move |_: MouseEvent| solution.set(to))
    };
    html! {
        <section class={classes!("lesson-panel", met.then_some("met"))} aria-labelledby="lesson-title">
            <p class="part-name"><a href={crate::route::href(all_lessons)}>{ all_label }</a>{ " · " }<a href={crate::route::href(&format!("notes/{}/", lesson.chapter))}>{ "the chapter" }</a></p>
            <h2 id="lesson-title">{ lesson.title.clone() }</h2>
            <p>{ lesson.brief.clone() }</p>
            if let Some(broken) = &lesson.broken {
                <p class="starts-broken">{ format!("This lesson starts broken: play it until {}, then press Why? beside it in the event log for the chain of causes.", broken.seen()) }</p>
            }
            <ul class="goal" aria-live="polite">
                { for props.judged.iter().map(|j| html! {
                    <li class={if j.met { "condition met" } else { "condition unmet" }}>
                        <span class="verdict-mark">{ if j.met { "Met" } else { "Not yet" } }</span>
                        { " " }{ j.words.clone() }
                    </li>
                }) }
            </ul>
            if met {
                <p class="sandbox-message ok goal-met" role="status">
                    { "Goal met: the model agrees. " }
                    if let Some(next) = next {
                        <a href={crate::route::lesson_href(&next)}>{ "Next lesson" }</a>
                    } else if pack.is_some() {
                        <a href={crate::route::href("packs/")}>{ "Back to the packs" }</a>
                    } else {
                        <a href={crate::route::href("lessons/")}>{ "Back to the course map" }</a>
                    }
                </p>
            }
            if met {
                { receipt_view(lesson, &props.answer, *hints, *opened, &name) }
            }
            // Always in the page, so that a screen reader announces each
            // hint as it is added.
            <div class="hints-live" aria-live="polite">
                if *hints > 0 {
                    <ol class="hints" tabindex="-1" ref={hints_ref} aria-label="Hints">{ for lesson.hints.iter().take(*hints).map(|h| html! { <li>{ h.clone() }</li> }) }</ol>
                }
            </div>
            <div class="lesson-actions">
                if *hints < lesson.hints.len() {
                    <button type="button" class="hint" onclick={more_hint}>{ if *hints == 0 { "A hint" } else { "Another hint" } }</button>
                }
                if *solution == 0 {
                    <button type="button" class="show-solution" ref={show_ref} onclick={set_solution(1)}>{ "Show the solution" }</button>
                }
            </div>
            if *solution == 1 {
                <div class="confirm" role="alertdialog" aria-label="Show the solution?">
                    <p>{ "Seeing the solution gives the answer away. Show it?" }</p>
                    <button type="button" class="confirm-solution" ref={confirm_ref} onclick={set_solution(2)}>{ "Show it" }</button>
                    <button type="button" onclick={set_solution(0)}>{ "Not yet" }</button>
                </div>
            }
            if *solution == 2 {
                <div class="solution" tabindex="-1" ref={solution_ref} aria-label="The reference solution">
                    if let Some(script) = lesson.commands() {
                        <p>{ "The reference solution, as commands for the terminal (paste them in; " }
                            <code>{ "dockyard lesson check" }</code>{ " accepts the same file):" }</p>
                        <pre tabindex="0"><code>{ script }</code></pre>
                        <details>
                            <summary>{ "The same as Dockyard's JSON steps" }</summary>
                            <pre tabindex="0"><code>{ lesson.solution_json() }</code></pre>
                        </details>
                        { builder_link(lesson) }
                    } else {
                        <p>{ "The reference solution, as Dockyard's JSON steps (also what dockyard lesson check accepts):" }</p>
                        <pre tabindex="0"><code>{ lesson.solution_json() }</code></pre>
                        { builder_link(lesson) }
                    }
                </div>
            }
        </section>
    }
}

/// A receipt for an instructor, once the goal is met: the learner names
/// it, and downloads or copies it; `dockyard receipt check` replays it.
fn receipt_view(
    lesson: &Lesson,
    answer: &Answer,
    hints: usize,
    opened: f64,
    name: &UseStateHandle<String>,
) -> Html {
    let given = name.trim().to_string();
    let json = (!given.is_empty()).then(|| {
        let mut receipt = Receipt::new(lesson, &given, answer, hints as u32);
        receipt.seconds_spent = Some(((js_sys::Date::now() - opened) / 1000.0).max(0.0) as u64);
        receipt.to_json()
    });
    let on_name = {
        let name = name.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            name.set(input.value());
        })
    };
    let on_download = {
        let json = json.clone();
        let file = format!("receipt-{}-{}.json", lesson.id, safe_file_part(&given));
        Callback::from(move |_: MouseEvent| {
            if let Some(json) = &json {
                let _ = super::sandbox::download(&file, json);
            }
        })
    };
    html! {
        <details class="receipt">
            <summary>{ "A receipt for your instructor" }</summary>
            <p class="hint">{ "Your answer, which anyone can replay (dockyard receipt check) to see that it meets the goal. It shows that the answer works, not who found it." }</p>
            <label class="receipt-name">{ "Your name " }
                <input type="text" maxlength="200" autocomplete="name" value={(**name).clone()} oninput={on_name} />
            </label>
            <button type="button" class="download-receipt" disabled={json.is_none()} onclick={on_download}>{ "Download the receipt" }</button>
            if let Some(json) = json {
                <textarea class="receipt-json" readonly=true rows="4" aria-label="The receipt, to copy" value={json} />
            }
        </details>
    }
}

/// A name as part of a file name: letters and digits, the rest hyphens.
pub(super) fn safe_file_part(name: &str) -> String {
    let part: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    part.trim_matches('-').to_string()
}

fn focus(node: &NodeRef) {
    if let Some(element) = node.cast::<web_sys::HtmlElement>() {
        let _ = element.focus();
    }
}

/// For an instructor: a sandbox lesson (shipped, or a pack's) opens in the
/// lesson builder, to edit it or to start one like it.
fn builder_link(lesson: &Lesson) -> Html {
    match lesson.sandbox() {
        Some(work) => html! {
            <p class="builder-link"><a href={format!("{}?build={}", crate::route::href(&format!("sandbox/{}/", work.scenario.slug)), lesson.id)}>
                { "Open this lesson in the lesson builder" }</a>{ " (for instructors)" }</p>
        },
        None => html! {},
    }
}
