//! The header: the product's name, the course navigation and the theme.

use dockyard_course::CHAPTERS;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::persist::Theme;

#[derive(Properties, PartialEq)]
pub struct CourseHeaderProps {
    pub current: Option<&'static str>,
    pub theme: Theme,
    pub on_theme: Callback<Theme>,
}

#[function_component(CourseHeader)]
pub fn course_header(props: &CourseHeaderProps) -> Html {
    // On a phone the chapter strip scrolls sideways: keep the current
    // chapter in view.
    use_effect_with(props.current, |_| {
        let link = web_sys::window().and_then(|w| w.document()).and_then(|d| {
            d.query_selector(".course-nav .nav-link.current")
                .ok()
                .flatten()
        });
        if let Some(link) = link {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            options.set_inline(web_sys::ScrollLogicalPosition::Center);
            link.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
    let on_change = props.on_theme.reform(|event: Event| {
        let select: HtmlSelectElement = event.target_unchecked_into();
        Theme::from_key(&select.value()).unwrap_or_default()
    });

    // Chapters grouped by part, in reading order.
    let mut parts: Vec<(
        &'static str,
        Vec<(usize, &'static dockyard_course::Chapter)>,
    )> = Vec::new();
    for (index, chapter) in CHAPTERS.iter().enumerate() {
        match parts.last_mut() {
            Some((part, chapters)) if *part == chapter.part => chapters.push((index, chapter)),
            _ => parts.push((chapter.part, vec![(index, chapter)])),
        }
    }

    html! {
        <header class="site-header">
            <div class="brand-row">
                <a class="brand" href={crate::route::href("")}>
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">{ "Dockyard" }</span>
                </a>
                <span class="tagline">{ "Learn AWS container services: ECS, Fargate, EKS and ECR" }</span>
                <a class="header-link" href={crate::route::href("lessons/")}>{ "Lessons" }</a>
                <a class="header-link" href={crate::route::href("sandbox/")}>{ "Sandbox" }</a>
                <a class="header-link" href={crate::route::href("editor/")}>{ "Task definition editor" }</a>
                <a class="header-link" href={crate::route::href("registries/")}>{ "Registries" }</a>
                <a class="header-link" href={crate::route::href("iam/")}>{ "Policy simulator" }</a>
                <a class="header-link" href={crate::route::href("findings/")}>{ "Findings reference" }</a>
                <label class="theme-picker">
                    <span>{ "Theme" }</span>
                    <select onchange={on_change}>
                        { for Theme::ALL.iter().map(|theme| html! {
                            <option value={theme.key()} selected={*theme == props.theme}>{ theme.label() }</option>
                        }) }
                    </select>
                </label>
            </div>
            <nav class="course-nav" aria-label="Course chapters">
                { for parts.into_iter().map(|(part, chapters)| html! {
                    <div class="nav-part">
                        <span class="nav-part-name">{ part }</span>
                        <ol>
                            { for chapters.into_iter().map(|(index, chapter)| {
                                let current = props.current == Some(chapter.slug);
                                html! {
                                    <li>
                                        <a
                                            href={crate::route::href(&format!("notes/{}/", chapter.slug))}
                                            class={classes!("nav-link", current.then_some("current"))}
                                            aria-current={current.then_some("page")}
                                            title={chapter.title}
                                        >
                                            <span class="nav-number">{ index + 1 }</span>
                                            { chapter.short }
                                        </a>
                                    </li>
                                }
                            }) }
                        </ol>
                    </div>
                }) }
            </nav>
        </header>
    }
}
