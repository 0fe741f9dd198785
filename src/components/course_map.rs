//! The course map (`#/lessons`): every lesson in course order, grouped by
//! chapter, marked done or next; progress exported and imported as a file.

use dockyard_course::lessons::lessons;
use dockyard_course::progress::Progress;
use dockyard_course::storage::{Key, Load};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::storage;

/// The saved progress, or none and why (an unreadable save is kept aside).
pub fn load_progress() -> (Progress, Option<String>) {
    match storage::load(Key::Progress, Progress::parse_saved) {
        Load::Found(progress) => (progress, None),
        Load::SetAside(notice) => (Progress::default(), Some(notice)),
        Load::Absent | Load::Refused(_) => (Progress::default(), None),
    }
}

pub(crate) fn save_progress(progress: &Progress) {
    let _ = storage::save(Key::Progress, &progress.to_json());
}

/// Marks a lesson done (once), keeping whatever else was saved; a pack
/// lesson in its pack's own progress.
pub fn mark_done(id: &str) {
    if id.contains('/') {
        crate::packs::mark_done(id);
        return;
    }
    let (mut progress, _) = load_progress();
    if progress.done.insert(id.to_string()) {
        save_progress(&progress);
    }
}

#[function_component(CourseMap)]
pub fn course_map() -> Html {
    let loaded = use_memo((), |_| load_progress());
    let progress = use_state(|| loaded.0.clone());
    // Two places: what loading the saved progress found (set aside as
    // corrupt) at the top, what an export or import did beside its buttons.
    let notice = loaded.1.clone();
    let message = use_state(|| None::<(bool, String)>);
    let on_export = {
        let (progress, message) = (progress.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            // The practice record goes with the lessons done.
            let practice = super::practice::load_record();
            if let Err(error) =
                super::sandbox::download("dockyard-progress.json", &progress.export(&practice))
            {
                message.set(Some((
                    false,
                    format!("The file could not be offered for download: {error}"),
                )));
            }
        })
    };
    let on_import = {
        let (progress, message) = (progress.clone(), message.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            let (progress, message) = (progress.clone(), message.clone());
            // Refused by its size before a byte is read: no file freezes the page.
            if file.size() > dockyard_course::progress::MAX_PROGRESS_BYTES as f64 {
                message.set(Some((
                    false,
                    format!(
                        "That file is not Dockyard progress ({}); your progress is unchanged.",
                        dockyard_course::session::too_large(
                            "a progress file",
                            file.size() as usize,
                            dockyard_course::progress::MAX_PROGRESS_BYTES
                        )
                    ),
                )));
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string());
                match text.as_deref().map(Progress::parse) {
                    // Added to what is here, never in its place: a file
                    // exported earlier (or elsewhere) cannot undo lessons
                    // done since.
                    Some(Ok(read)) => {
                        let mut merged = (*progress).clone();
                        let before = merged.done.len();
                        merged.done.extend(read.done);
                        let added = merged.done.len() - before;
                        let lessons = |n: usize| format!("{n} lesson{}", if n == 1 { "" } else { "s" });
                        let practice = match read.practice {
                            Some(theirs) => {
                                let taken = super::practice::merge_record(theirs);
                                format!(" Practice: {taken} answered question{} taken from the file.", if taken == 1 { "" } else { "s" })
                            }
                            None => String::new(),
                        };
                        message.set(Some((true, format!(
                            "Imported: {} added to the {} done here; {} done in all.{practice}",
                            lessons(added),
                            before,
                            lessons(merged.done.len())
                        ))));
                        save_progress(&merged);
                        progress.set(merged);
                    }
                    Some(Err(error)) => message.set(Some((false, format!("That file is not Dockyard progress ({error}); your progress is unchanged.")))),
                    None => message.set(Some((false, "That file could not be read as text; your progress is unchanged.".into()))),
                }
            });
        })
    };
    let all = lessons();
    let next = progress.next();
    let done = all.iter().filter(|l| progress.done.contains(&l.id)).count();
    let mut chapters: Vec<&'static str> = Vec::new();
    for lesson in all {
        if !chapters.contains(&lesson.chapter) {
            chapters.push(lesson.chapter);
        }
    }
    html! {
        <main class="editor-page course-map" id="main" tabindex="-1" aria-labelledby="notes-heading">
            <h1 id="notes-heading" tabindex="-1">{ "Lessons" }</h1>
            <p class="panel-lead">{ format!("{done} of {} done. Each lesson opens the sandbox, or the registries page for lessons on images; the goal is checked against the model after every change, never against what you typed.", all.len()) }</p>
            if let Some(text) = &notice {
                <p class="sandbox-message" role="status">{ text }</p>
            }
            { for chapters.iter().map(|slug| {
                let chapter = dockyard_course::chapter(slug).expect("lessons name real chapters");
                html! {
                    <section class="map-chapter" aria-label={chapter.title}>
                        <h2><a href={crate::route::href(&format!("notes/{slug}/"))}>{ chapter.title }</a></h2>
                        <ol class="map-lessons">
                        { for all.iter().filter(|l| l.chapter == *slug).map(|l| {
                            let (class, mark) = if progress.done.contains(&l.id) {
                                ("done", "Done")
                            } else if next == Some(l.id.as_str()) {
                                ("next", "Next")
                            } else {
                                ("todo", "To do")
                            };
                            html! {
                                <li class={classes!("map-lesson", class)}>
                                    <span class="map-mark">{ mark }</span>
                                    <a href={crate::route::href(&format!("lesson/{}/", l.id))}>{ l.title.clone() }</a>
                                </li>
                            }
                        }) }
                        </ol>
                    </section>
                }
            }) }
            <p>{ "An instructor's own lessons come as a pack: " }<a href={crate::route::href("packs/")}>{ "load a lesson pack" }</a>{ "." }</p>
            <div class="checker-actions">
                <button type="button" class="export-progress" onclick={on_export}>{ "Export progress" }</button>
                <label class="import">{ "Import progress " }<input type="file" accept=".json,application/json" onchange={on_import} /></label>
            </div>
            // Beside the buttons that cause it, where the learner is looking.
            if let Some((ok, text)) = &*message {
                <p class={classes!("sandbox-message", ok.then_some("ok"))} role="status">{ text }</p>
            }
        </main>
    }
}
