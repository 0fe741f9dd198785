//! The terminal a learner types real commands into: a prompt, the
//! transcript (standard output, errors set apart, Dockyard's notes
//! marked), history on the arrow keys, Tab completion, `\` and open quotes
//! continuing on the next line, and pasted scripts run line by line. What
//! a command does is `dockyard_terminal`'s business (through the sandbox);
//! this component only edits the line and draws the transcript.

use std::rc::Rc;

use dockyard_terminal::{Cloud, Completion, Output};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// One command the learner ran and what it printed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub(crate) command: String,
    pub(crate) output: Output,
}

/// How many commands' output the terminal keeps on screen.
pub(crate) const KEPT_ENTRIES: usize = 200;

/// Runs a typed line or a pasted script on a page's cloud: each command
/// and its output (a script that cannot be read is one failed entry).
pub(crate) fn run_text(cloud: &mut dyn Cloud, text: &str) -> Vec<Entry> {
    match dockyard_terminal::parse_script(text) {
        Ok(commands) => commands
            .into_iter()
            .map(|command| Entry {
                output: dockyard_terminal::run_command(cloud, &command),
                command: command.text,
            })
            .collect(),
        Err(error) => vec![Entry {
            command: text.trim().to_string(),
            output: Output {
                stderr: format!("{error}\n"),
                status: 2,
                ..Default::default()
            },
        }],
    }
}

/// Adds what ran to a page's transcript and history (`clear` empties the
/// transcript), keeping the latest output of a long session.
pub(crate) fn record(log: &mut Rc<Vec<Entry>>, history: &mut Rc<Vec<String>>, ran: Vec<Entry>) {
    let log = Rc::make_mut(log);
    let history = Rc::make_mut(history);
    for entry in ran {
        if entry.output.clear {
            log.clear();
        } else {
            log.push(entry.clone());
        }
        if history.last() != Some(&entry.command) {
            history.push(entry.command);
        }
    }
    let excess = log.len().saturating_sub(KEPT_ENTRIES);
    log.drain(..excess);
}

#[derive(Properties, PartialEq)]
pub(crate) struct TerminalProps {
    /// The transcript, oldest first.
    pub(crate) log: Rc<Vec<Entry>>,
    /// Commands run, oldest first (for Up and Down).
    pub(crate) history: Rc<Vec<String>>,
    /// Runs a command or a pasted script (its whole text).
    pub(crate) on_run: Callback<String>,
    /// What Tab offers for the text before the cursor.
    pub(crate) on_complete: Callback<String, Completion>,
    /// A command to suggest in the welcome and the empty prompt.
    #[prop_or(AttrValue::Static("aws ecs list-clusters"))]
    pub(crate) example: AttrValue,
}

#[function_component(Terminal)]
pub(crate) fn terminal(props: &TerminalProps) -> Html {
    let input = use_node_ref();
    // Where Up and Down are in the history: None is the line being typed.
    let cursor = use_mut_ref(|| None::<usize>);
    let offered = use_state(Vec::<String>::new);
    let log_view = use_node_ref();
    {
        // The newest output stays in view.
        let log_view = log_view.clone();
        use_effect_with(props.log.len(), move |_| {
            if let Some(log) = log_view.cast::<web_sys::Element>() {
                log.set_scroll_top(log.scroll_height());
            }
        });
    }
    let onkeydown = {
        let input = input.clone();
        let cursor = cursor.clone();
        let offered = offered.clone();
        let history = props.history.clone();
        let on_run = props.on_run.clone();
        let on_complete = props.on_complete.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(area) = input.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let text = area.value();
            match e.key().as_str() {
                "Enter" if !e.shift_key() => {
                    // An open quote or a trailing backslash goes on.
                    if dockyard_terminal::script::is_unfinished(&text) {
                        return;
                    }
                    e.prevent_default();
                    area.set_value("");
                    *cursor.borrow_mut() = None;
                    offered.set(Vec::new());
                    on_run.emit(text);
                }
                "Tab" if !e.shift_key() => {
                    let at = area.selection_start().ok().flatten().unwrap_or(0) as usize;
                    let before: String = text.chars().take(at).collect();
                    let after: String = text.chars().skip(at).collect();
                    let completion = on_complete.emit(before.clone());
                    if completion.options.is_empty() {
                        // Nothing to offer: Tab moves focus on, as usual.
                        return;
                    }
                    e.prevent_default();
                    let head: String = before.chars().take(completion.start).collect();
                    let mut word = completion.common_prefix();
                    if completion.options.len() == 1 {
                        word.push(' ');
                        offered.set(Vec::new());
                    } else {
                        offered.set(completion.options.clone());
                    }
                    let line = format!("{head}{word}{after}");
                    area.set_value(&line);
                    let end = (head.chars().count() + word.chars().count()) as u32;
                    let _ = area.set_selection_range(end, end);
                }
                "ArrowUp" | "ArrowDown" if !text.contains('\n') => {
                    if history.is_empty() {
                        return;
                    }
                    e.prevent_default();
                    let mut at = cursor.borrow_mut();
                    let next = match (e.key().as_str(), *at) {
                        ("ArrowUp", None) => Some(history.len() - 1),
                        ("ArrowUp", Some(i)) => Some(i.saturating_sub(1)),
                        ("ArrowDown", Some(i)) if i + 1 < history.len() => Some(i + 1),
                        _ => None,
                    };
                    *at = next;
                    area.set_value(next.map(|i| history[i].as_str()).unwrap_or(""));
                }
                "Escape" => offered.set(Vec::new()),
                _ => {}
            }
        })
    };
    html! {
        <section class="terminal" aria-label="Terminal">
            <h2 class="terminal-heading">{ "Terminal" }</h2>
            <div ref={log_view} class="terminal-log" role="log" aria-live="polite" aria-label="Terminal output">
                if props.log.is_empty() {
                    <p class="terminal-welcome">
                        { "Type AWS CLI commands here, as in a real shell: try " }
                        <code>{ props.example.clone() }</code>{ " or " }<code>{ "help" }</code>
                        { ". Tab completes, Up and Down bring back earlier commands." }
                    </p>
                }
                { for props.log.iter().map(entry) }
            </div>
            if !offered.is_empty() {
                <p class="terminal-offered" aria-live="polite">{ offered.join("  ") }</p>
            }
            <div class="terminal-prompt">
                <span aria-hidden="true">{ "$" }</span>
                <textarea ref={input} rows="1" spellcheck="false" autocapitalize="off" autocomplete="off"
                    aria-label="Command" placeholder={props.example.clone()} {onkeydown} />
            </div>
        </section>
    }
}

fn entry(entry: &Entry) -> Html {
    let output = &entry.output;
    html! {
        <div class={classes!("terminal-entry", (output.status != 0).then_some("failed"))}>
            // Continuation lines get the shell's second prompt.
            { for entry.command.lines().enumerate().map(|(index, line)| html! {
                <pre class="terminal-command">{ if index == 0 { "$ " } else { "> " } }{ line }</pre>
            }) }
            if !output.stdout.is_empty() {
                <pre class="terminal-stdout">{ &output.stdout }</pre>
            }
            if !output.stderr.is_empty() {
                <pre class="terminal-stderr">{ output.stderr.trim_start_matches('\n') }</pre>
            }
            { for output.notes.iter().map(|note| html! {
                <p class="terminal-note"><span class="terminal-note-mark">{ "Dockyard" }</span>{ " " }{ note }</p>
            }) }
        </div>
    }
}
