//! A lesson beside its sandbox: what to do, each condition of the goal as
//! met or not (judged by the model on the sandbox's world), hints one at a
//! time, and the reference solution behind a confirmation.

use dockyard_course::lessons::{Judged, Lesson};
use yew::prelude::*;

#[derive(Properties)]
pub struct LessonPanelProps {
    /// A shipped lesson (they are parsed once).
    pub lesson: &'static Lesson,
    /// The goal as the player last judged it.
    pub judged: Vec<Judged>,
}

/// The lesson is compared by identity: it is the same parsed lesson for as
/// long as the sandbox shows it, and a deep comparison would cost code.
impl PartialEq for LessonPanelProps {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.lesson, other.lesson) && self.judged == other.judged
    }
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonPanelProps) -> Html {
    let lesson = props.lesson;
    // Hints shown, and the solution: 0 hidden, 1 asking, 2 shown.
    let hints = use_state(|| 0usize);
    let solution = use_state(|| 0u8);
    let met = !props.judged.is_empty() && props.judged.iter().all(|j| j.met);
    let next = dockyard_course::lessons::LESSON_FILES
        .iter()
        .skip_while(|(id, _)| *id != lesson.id)
        .nth(1)
        .map(|(id, _)| *id);
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
            <p class="part-name"><a href="#/lessons">{ "Lessons" }</a>{ " · " }<a href={format!("#/notes/{}", lesson.chapter)}>{ "the chapter" }</a></p>
            <h2 id="lesson-title">{ lesson.title.clone() }</h2>
            <p>{ lesson.brief.clone() }</p>
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
                        <a href={format!("#/lesson/{next}")}>{ "Next lesson" }</a>
                    } else {
                        <a href="#/lessons">{ "Back to the course map" }</a>
                    }
                </p>
            }
            if *hints > 0 {
                <ol class="hints">{ for lesson.hints.iter().take(*hints).map(|h| html! { <li>{ h.clone() }</li> }) }</ol>
            }
            <div class="lesson-actions">
                if *hints < lesson.hints.len() {
                    <button type="button" class="hint" onclick={more_hint}>{ if *hints == 0 { "A hint" } else { "Another hint" } }</button>
                }
                if *solution == 0 {
                    <button type="button" class="show-solution" onclick={set_solution(1)}>{ "Show the solution" }</button>
                }
            </div>
            if *solution == 1 {
                <div class="confirm" role="alertdialog" aria-label="Show the solution?">
                    <p>{ "Seeing the solution gives the answer away. Show it?" }</p>
                    <button type="button" class="confirm-solution" onclick={set_solution(2)}>{ "Show it" }</button>
                    <button type="button" onclick={set_solution(0)}>{ "Not yet" }</button>
                </div>
            }
            if *solution == 2 {
                <div class="solution">
                    if let Some(script) = lesson.commands() {
                        <p>{ "The reference solution, as commands for the terminal (paste them in; " }
                            <code>{ "dockyard lesson check" }</code>{ " accepts the same file):" }</p>
                        <pre><code>{ script }</code></pre>
                        <details>
                            <summary>{ "The same as Dockyard's JSON steps" }</summary>
                            <pre><code>{ lesson.solution_json() }</code></pre>
                        </details>
                    } else {
                        <p>{ "The reference solution, as Dockyard's JSON steps (also what dockyard lesson check accepts):" }</p>
                        <pre><code>{ lesson.solution_json() }</code></pre>
                    }
                </div>
            }
        </section>
    }
}
