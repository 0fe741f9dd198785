//! A script as a shell reads it, before any program sees it: lines joined
//! at a trailing backslash, comments dropped, words split at unquoted
//! blanks, with single quotes (literal), double quotes (backslash escapes
//! `"`, `\`, `$` and a newline) and backslash escapes outside quotes.
//!
//! Only what a learner's AWS CLI and docker commands use is understood,
//! with one redirection (`> FILE`, `>> FILE`: the output into one of the
//! learner's files); what a shell would do differently (variables, pipes,
//! other redirections, command substitution) is refused by name rather
//! than misread, so a pasted script never does something other than what
//! it says.

use std::fmt;

/// One command of a script: its words, and the text it was written as
/// (continuation lines included), for echoing and for history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandLine {
    pub words: Vec<String>,
    /// `> FILE` or `>> FILE`: where the standard output goes instead.
    pub redirect: Option<Redirect>,
    pub text: String,
    /// The script line it starts on, counting from 1.
    pub line: usize,
}

/// An output redirection: the file, and whether to append to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    pub path: String,
    pub append: bool,
}

/// Why a script could not be read.
/// The largest text the terminal reads as one paste.
pub const MAX_SCRIPT_BYTES: usize = 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Splits a script into its commands. Blank lines and comments give none.
pub fn parse_script(text: &str) -> Result<Vec<CommandLine>, ScriptError> {
    // A paste is bounded before it is read: room for a script of commands
    // and a heredoc of every file a session may hold, but no 20 MB freeze.
    if text.len() > MAX_SCRIPT_BYTES {
        return Err(ScriptError {
            line: 1,
            message: format!(
                "Dockyard runs a pasted script of at most {} KiB; this is {} KiB, so none of it ran",
                MAX_SCRIPT_BYTES / 1024,
                text.len().div_ceil(1024)
            ),
        });
    }
    let mut commands = Vec::new();
    let mut reader = Reader {
        chars: text.chars().collect(),
        at: 0,
        line: 1,
    };
    while reader.peek().is_some() {
        let start_line = reader.line;
        let start = reader.at;
        let (words, redirect) = reader.command()?;
        let text: String = reader.chars[start..reader.at].iter().collect();
        if !words.is_empty() {
            commands.push(CommandLine {
                words,
                redirect,
                text: text.trim().to_string(),
                line: start_line,
            });
        }
    }
    Ok(commands)
}

/// Splits one line (as typed at the prompt) into words; `Ok(None)` when it
/// is unfinished (an open quote or a trailing backslash), so the terminal
/// can ask for more, as a shell's `>` prompt does.
pub fn words_of(text: &str) -> Result<Option<Vec<String>>, ScriptError> {
    match parse_script(text) {
        Ok(commands) => Ok(Some(
            commands
                .into_iter()
                .flat_map(|command| command.words)
                .collect(),
        )),
        Err(error) if error.message.starts_with(UNFINISHED) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Whether a line as typed so far needs another line to be a command.
pub fn is_unfinished(text: &str) -> bool {
    matches!(parse_script(text), Err(e) if e.message.starts_with(UNFINISHED))
}

const UNFINISHED: &str = "unfinished";

struct Reader {
    chars: Vec<char>,
    at: usize,
    line: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn error(&self, message: impl Into<String>) -> ScriptError {
        self.error_at(self.line, message)
    }

    fn error_at(&self, line: usize, message: impl Into<String>) -> ScriptError {
        ScriptError {
            line,
            message: message.into(),
        }
    }

    /// Reads words up to the end of a command (an unquoted newline or `;`),
    /// and its output redirection if it has one.
    fn command(&mut self) -> Result<(Vec<String>, Option<Redirect>), ScriptError> {
        let mut words = Vec::new();
        let mut word: Option<String> = None;
        let mut redirect: Option<Redirect> = None;
        while let Some(c) = self.peek() {
            match c {
                '\n' | ';' => {
                    self.next();
                    break;
                }
                ' ' | '\t' | '\r' => {
                    self.next();
                    words.extend(word.take());
                }
                '#' if word.is_none() => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.next();
                    }
                }
                '\\' => {
                    self.next();
                    match self.next() {
                        None => {
                            return Err(self.error(format!(
                                "{UNFINISHED} command: it ends with a backslash, so it goes on on the next line"
                            )))
                        }
                        Some('\n') => {}
                        Some('\r') if self.peek() == Some('\n') => {
                            self.next();
                        }
                        Some(escaped) => word.get_or_insert_with(String::new).push(escaped),
                    }
                }
                '\'' => {
                    let opened = self.line;
                    self.next();
                    let word = word.get_or_insert_with(String::new);
                    loop {
                        match self.next() {
                            None => {
                                return Err(self.error_at(opened, format!(
                                    "{UNFINISHED} quote: a single quote (') was opened and not closed"
                                )))
                            }
                            Some('\'') => break,
                            Some(c) => word.push(c),
                        }
                    }
                }
                '"' => {
                    let opened = self.line;
                    self.next();
                    let word = word.get_or_insert_with(String::new);
                    loop {
                        match self.next() {
                            None => {
                                return Err(self.error_at(opened, format!(
                                    "{UNFINISHED} quote: a double quote (\") was opened and not closed"
                                )))
                            }
                            Some('"') => break,
                            Some('\\') => match self.next() {
                                Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                                Some('\n') => {}
                                Some(c) => {
                                    word.push('\\');
                                    word.push(c);
                                }
                                None => {
                                    return Err(self.error(format!(
                                        "{UNFINISHED} quote: a double quote (\") was opened and not closed"
                                    )))
                                }
                            },
                            Some('$') => return Err(self.error(NO_VARIABLES)),
                            Some('`') => return Err(self.error(NO_SUBSTITUTION)),
                            Some(c) => word.push(c),
                        }
                    }
                }
                '$' => return Err(self.error(NO_VARIABLES)),
                '`' => return Err(self.error(NO_SUBSTITUTION)),
                '>' => {
                    if word
                        .as_deref()
                        .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()))
                    {
                        return Err(self.error(
                            "only the standard output can be redirected here (> FILE or >> FILE); errors are shown in the terminal",
                        ));
                    }
                    words.extend(word.take());
                    self.next();
                    let append = self.peek() == Some('>');
                    if append {
                        self.next();
                    }
                    while matches!(self.peek(), Some(' ' | '\t')) {
                        self.next();
                    }
                    let (mut rest, again) = self.command()?;
                    if again.is_some() || rest.len() != 1 {
                        return Err(self.error(
                            "a redirection takes one file name, at the end of the command: ... > FILE",
                        ));
                    }
                    redirect = Some(Redirect {
                        path: rest.remove(0),
                        append,
                    });
                    return Ok((words, redirect));
                }
                '|' | '&' | '<' => {
                    let rest: String = self.chars[self.at..]
                        .iter()
                        .take_while(|c| **c != '\n')
                        .collect();
                    let hint = if rest.contains("docker login") {
                        ": run aws ecr get-login-password, then docker login -u AWS -p TOKEN REGISTRY with the token it printed"
                    } else {
                        ""
                    };
                    return Err(self.error(format!(
                        "`{c}` is not supported here: the terminal runs one command per line, without pipes, input redirections or background jobs (put a command on each line){hint}"
                    )));
                }
                c => {
                    self.next();
                    word.get_or_insert_with(String::new).push(c);
                }
            }
        }
        words.extend(word);
        Ok((words, redirect))
    }
}

const NO_VARIABLES: &str = "`$` is not supported here: the terminal has no shell variables, so write the value itself (or quote it with single quotes: '$...')";
const NO_SUBSTITUTION: &str =
    "command substitution (`...`) is not supported here: write the value itself";

/// Quotes a word so that [`parse_script`] reads it back as itself: how the
/// terminal prints a command a button stands for.
pub fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',' | '@' | '+' | '%')
        });
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_past_its_bound_is_refused_unread() {
        let error = parse_script(&"echo hi\n".repeat(200_000)).unwrap_err();
        assert_eq!(error.line, 1);
        assert!(
            error
                .message
                .starts_with("Dockyard runs a pasted script of at most 1024 KiB; this is 1563 KiB"),
            "{}",
            error.message
        );
        assert!(parse_script(&"echo hi\n".repeat(1000)).is_ok());
    }

    fn words(text: &str) -> Vec<Vec<String>> {
        parse_script(text)
            .unwrap()
            .into_iter()
            .map(|c| c.words)
            .collect()
    }

    #[test]
    fn splits_words_and_lines() {
        assert_eq!(
            words("aws ecs list-clusters\n\n  docker images # all of them\n"),
            vec![
                vec!["aws", "ecs", "list-clusters"],
                vec!["docker", "images"]
            ]
        );
    }

    #[test]
    fn joins_continued_lines_and_keeps_their_text() {
        let commands =
            parse_script("aws ecs create-cluster \\\n  --cluster-name shop\nls").unwrap();
        assert_eq!(
            commands[0].words,
            ["aws", "ecs", "create-cluster", "--cluster-name", "shop"]
        );
        assert_eq!(
            commands[0].text,
            "aws ecs create-cluster \\\n  --cluster-name shop"
        );
        assert_eq!(commands[1].line, 3);
    }

    #[test]
    fn quotes_keep_json_whole() {
        assert_eq!(
            words(r#"aws x --a '{"k": "v w"}' --b "say \"hi\"" it\'s"#),
            vec![vec![
                "aws",
                "x",
                "--a",
                r#"{"k": "v w"}"#,
                "--b",
                r#"say "hi""#,
                "it's"
            ]]
        );
        assert_eq!(words("echo ''"), vec![vec!["echo", ""]]);
        assert_eq!(words("a#b"), vec![vec!["a#b"]]);
    }

    #[test]
    fn a_quote_may_span_lines() {
        assert_eq!(
            words("aws x --json '{\n  \"a\": 1\n}'"),
            vec![vec!["aws", "x", "--json", "{\n  \"a\": 1\n}"]]
        );
    }

    #[test]
    fn unfinished_input_is_told_apart_from_errors() {
        assert!(is_unfinished("aws ecs \\"));
        assert!(is_unfinished("aws x --a '{"));
        assert!(!is_unfinished("aws x"));
        assert_eq!(words_of("aws x \"a").unwrap(), None);
        let redirected = parse_script(
            "aws ecs describe-task-definition --task-definition web > web.json\necho x >> log.txt",
        )
        .unwrap();
        assert_eq!(redirected[0].words.last().unwrap(), "web");
        assert_eq!(
            redirected[0].redirect,
            Some(Redirect {
                path: "web.json".into(),
                append: false
            })
        );
        assert_eq!(
            redirected[1].redirect,
            Some(Redirect {
                path: "log.txt".into(),
                append: true
            })
        );
        assert!(parse_script("aws x 2> e.txt")
            .unwrap_err()
            .message
            .contains("standard output"));
        assert!(parse_script("aws x > a b")
            .unwrap_err()
            .message
            .contains("one file name"));
        assert!(parse_script("aws x >")
            .unwrap_err()
            .message
            .contains("one file name"));
        let error = parse_script("aws ecs list-tasks | wc -l").unwrap_err();
        assert!(error.message.contains("pipes"), "{error}");
        let error = parse_script(
            "aws ecr get-login-password | docker login --username AWS --password-stdin x",
        )
        .unwrap_err();
        assert!(
            error
                .message
                .ends_with("docker login -u AWS -p TOKEN REGISTRY with the token it printed"),
            "{error}"
        );
        let error = parse_script("echo $HOME").unwrap_err();
        assert!(error.message.contains("no shell variables"), "{error}");
        assert_eq!(parse_script("a\nb $X").unwrap_err().line, 2);
    }

    #[test]
    fn quote_reads_back() {
        for word in [
            "plain-word",
            "two words",
            "it's",
            "{\"a\": [1]}",
            "",
            "a=b,c=[d]",
        ] {
            let line = format!("echo {}", quote(word));
            assert_eq!(
                words(&line),
                vec![vec!["echo".to_string(), word.to_string()]],
                "{line}"
            );
        }
    }
}
