//! A notice the learner must read: saved data set aside, a save that
//! failed, a link that could not be opened. Announced to screen readers.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub message: AttrValue,
    pub on_dismiss: Callback<()>,
}

/// A message about something that went wrong but did not stop the learner.
#[function_component(Notice)]
pub fn notice(props: &NoticeProps) -> Html {
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div class="notice" role="status">
            <p>{ props.message.clone() }</p>
            <button type="button" onclick={dismiss}>{ "Dismiss" }</button>
        </div>
    }
}
