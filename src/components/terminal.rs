//! The terminal a learner types real commands into: a prompt, the
//! transcript (standard output, errors set apart, Dockyard's notes
//! marked), history on the arrow keys, Tab completion, `\` and open quotes
//! continuing on the next line, and pasted scripts run line by line. What
//! a command does is `dockyard_terminal`'s business (through the page);
//! this component only edits the line and draws the transcript.
//!
//! The transcript lives in a [`Port`] the page shares with the terminal.
//! A command that only reads (`aws ecs describe-tasks`) redraws the
//! terminal alone: the page runs it and returns without redrawing itself,
//! and the terminal redraws from the port. Redrawing a page of a thousand
//! tasks for every `describe` would cost a frame or two.

use std::cell::RefCell;
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

/// What a page and its terminal share: the transcript, the commands typed
/// (for Up and Down), what Tab last offered, and a count of changes to the
/// transcript, by which the terminal knows to redraw.
#[derive(Default)]
pub(crate) struct Port {
    pub(crate) log: Vec<Entry>,
    pub(crate) history: Vec<String>,
    pub(crate) completion: Completion,
    pub(crate) version: u64,
}

pub(crate) type SharedPort = Rc<RefCell<Port>>;

impl Port {
    /// Adds what ran to the transcript (`clear` empties it), keeping the
    /// latest output of a long session.
    pub(crate) fn record(&mut self, ran: Vec<Entry>) {
        for entry in ran {
            if entry.output.clear {
                self.log.clear();
            } else {
                self.log.push(entry);
            }
        }
        let excess = self.log.len().saturating_sub(KEPT_ENTRIES);
        self.log.drain(..excess);
        self.version += 1;
    }

    /// Adds commands to the history, as a shell does (not twice in a row).
    pub(crate) fn remember(&mut self, commands: impl IntoIterator<Item = String>) {
        for command in commands {
            if self.history.last() != Some(&command) {
                self.history.push(command);
            }
        }
    }
}

/// What the terminal asks of its page.
pub(crate) enum Request {
    /// Run a typed line or a pasted script, and record it in the port.
    Run(String),
    /// Put in the port what Tab offers for the text before the cursor.
    Complete(String),
}

#[derive(Properties)]
pub(crate) struct TerminalProps {
    pub(crate) port: SharedPort,
    /// The port's version when the page drew: a button's commands, added by
    /// the page, show when the page redraws.
    pub(crate) version: u64,
    /// The page's dispatcher (it always reaches the page's latest state).
    pub(crate) on_request: Callback<Request>,
    /// A command to suggest in the welcome and the empty prompt.
    #[prop_or(AttrValue::Static("aws ecs list-clusters"))]
    pub(crate) example: AttrValue,
}

/// The callback is left out: a page's dispatcher is new on every draw and
/// does the same thing, and comparing it would redraw the terminal (and
/// its whole transcript) on every frame of a playing clock.
impl PartialEq for TerminalProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.port, &other.port)
            && self.version == other.version
            && self.example == other.example
    }
}

#[function_component(Terminal)]
pub(crate) fn terminal(props: &TerminalProps) -> Html {
    let input = use_node_ref();
    // Where Up and Down are in the history: None is the line being typed.
    let cursor = use_mut_ref(|| None::<usize>);
    let offered = use_state(Vec::<String>::new);
    let redraw = use_force_update();
    let log_view = use_node_ref();
    let version = props.port.borrow().version;
    {
        // The newest output stays in view.
        let log_view = log_view.clone();
        use_effect_with(version, move |_| {
            if let Some(log) = log_view.cast::<web_sys::Element>() {
                log.set_scroll_top(log.scroll_height());
            }
        });
    }
    let onkeydown = {
        let input = input.clone();
        let cursor = cursor.clone();
        let offered = offered.clone();
        let port = props.port.clone();
        let on_request = props.on_request.clone();
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
                    // The page runs it now (a dispatch runs the reducer at
                    // once) and records it in the port; the terminal redraws
                    // itself, and the page only if the world changed.
                    on_request.emit(Request::Run(text));
                    redraw.force_update();
                }
                "Tab" if !e.shift_key() => {
                    let at = area.selection_start().ok().flatten().unwrap_or(0) as usize;
                    let before: String = text.chars().take(at).collect();
                    let after: String = text.chars().skip(at).collect();
                    on_request.emit(Request::Complete(before.clone()));
                    let completion = std::mem::take(&mut port.borrow_mut().completion);
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
                    let history = &port.borrow().history;
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
    let port = props.port.borrow();
    html! {
        <section class="terminal" aria-label="Terminal">
            <h2 class="terminal-heading">{ "Terminal" }</h2>
            <div ref={log_view} class="terminal-log" role="log" aria-live="polite" aria-label="Terminal output">
                if port.log.is_empty() {
                    <p class="terminal-welcome">
                        { "Type AWS CLI commands here, as in a real shell: try " }
                        <code>{ props.example.clone() }</code>{ " or " }<code>{ "help" }</code>
                        { ". Tab completes, Up and Down bring back earlier commands." }
                    </p>
                }
                { for port.log.iter().map(entry) }
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
                // Long output in blocks of lines that the browser lays out
                // only when they scroll into view (content-visibility): a
                // thousand task ARNs cost the frame only the lines shown.
                <div class="terminal-stdout">
                    { for chunks(&output.stdout).map(|chunk| html! { <pre>{ chunk }</pre> }) }
                </div>
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

/// Lines per block of a long output.
const CHUNK_LINES: usize = 40;

/// `text` in blocks of [`CHUNK_LINES`] lines, each ending with its newline.
fn chunks(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .match_indices('\n')
            .nth(CHUNK_LINES - 1)
            .map_or(rest.len(), |(at, _)| at + 1);
        let (chunk, after) = rest.split_at(end);
        rest = after;
        Some(chunk)
    })
}
