//! The AWS CLI's shorthand syntax for structured parameters, as documented
//! in "Using shorthand syntax with the AWS CLI" and implemented in awscli's
//! `shorthand.py`: `key=value,key2=[a,b],key3={k=v}`, where a bare list
//! after a key (`subnets=a,b`) runs until the next `key=`.
//!
//! It parses to JSON strings, lists and objects only; turning `"2"` into a
//! number or a lone value into a one-item list is the API model's job
//! (`params::coerce`), as in the CLI.

use serde_json::{Map, Value};

/// Why a shorthand value could not be read: what was expected, what was
/// found, and where (a character index), as the CLI reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ShorthandError {
    pub(crate) expected: String,
    pub(crate) received: String,
    pub(crate) at: usize,
}

impl ShorthandError {
    /// The CLI's message: `Expected: '=', received: 'EOF' for input:` with
    /// the input and a caret under the place.
    pub(crate) fn message(&self, input: &str) -> String {
        let column = input.chars().take(self.at).count();
        format!(
            "Expected: '{}', received: '{}' for input:\n{input}\n{}^",
            self.expected,
            self.received,
            " ".repeat(column)
        )
    }
}

/// Parses `key=value,...` into an object.
pub(crate) fn parse(input: &str) -> Result<Map<String, Value>, ShorthandError> {
    let mut parser = Parser {
        chars: input.chars().collect(),
        at: 0,
    };
    let map = parser.keyvals(None)?;
    parser.skip_blanks();
    match parser.peek() {
        None => Ok(map),
        Some(c) => Err(parser.unexpected(",", c)),
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn unexpected(&self, expected: &str, received: char) -> ShorthandError {
        ShorthandError {
            expected: expected.to_string(),
            received: received.to_string(),
            at: self.at,
        }
    }

    fn expect(&mut self, wanted: char) -> Result<(), ShorthandError> {
        match self.peek() {
            Some(c) if c == wanted => {
                self.at += 1;
                Ok(())
            }
            Some(c) => Err(self.unexpected(&wanted.to_string(), c)),
            None => Err(ShorthandError {
                expected: wanted.to_string(),
                received: "EOF".to_string(),
                at: self.at,
            }),
        }
    }

    /// `keyval *("," keyval)`, up to `close` (a hash literal's `}`) or the end.
    fn keyvals(&mut self, close: Option<char>) -> Result<Map<String, Value>, ShorthandError> {
        let mut map = Map::new();
        loop {
            self.skip_blanks();
            let key = self.key()?;
            self.expect('=')?;
            let value = self.values(close)?;
            map.insert(key, value);
            self.skip_blanks();
            if self.peek() == Some(',') {
                self.at += 1;
                continue;
            }
            return Ok(map);
        }
    }

    fn key(&mut self) -> Result<String, ShorthandError> {
        let start = self.at;
        while self.peek().is_some_and(is_key_char) {
            self.at += 1;
        }
        if self.at == start {
            return Err(match self.peek() {
                Some(c) => self.unexpected("key", c),
                None => ShorthandError {
                    expected: "key".to_string(),
                    received: "EOF".to_string(),
                    at: self.at,
                },
            });
        }
        Ok(self.chars[start..self.at].iter().collect())
    }

    /// Whether a `key=` starts here: then a comma before it ended a list.
    fn key_follows(&self) -> bool {
        let mut at = self.at;
        while self.chars.get(at).is_some_and(|c| c.is_whitespace()) {
            at += 1;
        }
        let start = at;
        while self.chars.get(at).copied().is_some_and(is_key_char) {
            at += 1;
        }
        at > start && self.chars.get(at) == Some(&'=')
    }

    fn values(&mut self, close: Option<char>) -> Result<Value, ShorthandError> {
        self.skip_blanks();
        match self.peek() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash(),
            _ => {
                let first = self.value(close)?;
                let mut list = vec![first];
                while self.peek() == Some(',') {
                    self.at += 1;
                    if self.key_follows() {
                        self.at -= 1;
                        break;
                    }
                    list.push(self.value(close)?);
                }
                Ok(if list.len() == 1 {
                    list.pop().unwrap_or(Value::Null)
                } else {
                    Value::Array(list)
                })
            }
        }
    }

    fn explicit_list(&mut self) -> Result<Value, ShorthandError> {
        self.expect('[')?;
        let mut items = Vec::new();
        self.skip_blanks();
        if self.peek() == Some(']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_blanks();
            let item = match self.peek() {
                Some('[') => self.explicit_list()?,
                Some('{') => self.hash()?,
                _ => self.value(Some(']'))?,
            };
            items.push(item);
            self.skip_blanks();
            match self.peek() {
                Some(',') => self.at += 1,
                _ => {
                    self.expect(']')?;
                    return Ok(Value::Array(items));
                }
            }
        }
    }

    fn hash(&mut self) -> Result<Value, ShorthandError> {
        self.expect('{')?;
        let map = self.keyvals(Some('}'))?;
        self.skip_blanks();
        self.expect('}')?;
        Ok(Value::Object(map))
    }

    /// One scalar: quoted, or the characters up to a `,`, `]` or `}`
    /// (with `\` escaping the next character), its blanks trimmed.
    fn value(&mut self, close: Option<char>) -> Result<Value, ShorthandError> {
        self.skip_blanks();
        if let Some(quote @ ('\'' | '"')) = self.peek() {
            self.at += 1;
            let mut text = String::new();
            loop {
                match self.peek() {
                    None => return self.expect(quote).map(|_| Value::Null),
                    Some('\\') if self.chars.get(self.at + 1) == Some(&quote) => {
                        text.push(quote);
                        self.at += 2;
                    }
                    Some(c) if c == quote => {
                        self.at += 1;
                        break;
                    }
                    Some(c) => {
                        text.push(c);
                        self.at += 1;
                    }
                }
            }
            self.skip_blanks();
            return Ok(Value::String(text));
        }
        let mut text = String::new();
        while let Some(c) = self.peek() {
            if c == ',' || Some(c) == close || c == ']' || c == '}' {
                break;
            }
            if c == '\\' {
                if let Some(&next) = self.chars.get(self.at + 1) {
                    text.push(next);
                    self.at += 2;
                    continue;
                }
            }
            if matches!(c, '[' | '{') && text.is_empty() {
                return Err(self.unexpected("value", c));
            }
            text.push(c);
            self.at += 1;
        }
        Ok(Value::String(text.trim().to_string()))
    }
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '#' | '/' | ':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> Value {
        Value::Object(parse(text).unwrap_or_else(|e| panic!("{}", e.message(text))))
    }

    #[test]
    fn reads_the_documented_forms() {
        assert_eq!(
            read("key1=value1,key2=value2"),
            json!({"key1": "value1", "key2": "value2"})
        );
        assert_eq!(
            read("awsvpcConfiguration={subnets=[subnet-a,subnet-b],securityGroups=[sg-1],assignPublicIp=ENABLED}"),
            json!({"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-1"], "assignPublicIp": "ENABLED"}})
        );
        assert_eq!(
            read("subnets=a,b,c,assign=X"),
            json!({"subnets": ["a", "b", "c"], "assign": "X"})
        );
        assert_eq!(
            read("capacityProvider=FARGATE,weight=1,base=2"),
            json!({"capacityProvider": "FARGATE", "weight": "1", "base": "2"})
        );
        assert_eq!(read("a=[]"), json!({"a": []}));
        assert_eq!(
            read("a=[{b=1},{b=2}]"),
            json!({"a": [{"b": "1"}, {"b": "2"}]})
        );
        assert_eq!(read("a='x,y',b=\"p=q\""), json!({"a": "x,y", "b": "p=q"}));
        assert_eq!(read("a=x\\,y"), json!({"a": "x,y"}));
        assert_eq!(
            read("type=memberOf,expression=\"attribute:ecs.instance-type =~ t3.*\""),
            json!({"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"})
        );
        assert_eq!(read("a="), json!({"a": ""}));
    }

    #[test]
    fn errors_point_at_the_place() {
        let input = "awsvpcConfiguration={subnets=[a]";
        let error = parse(input).unwrap_err();
        assert_eq!(error.expected, "}");
        assert_eq!(error.received, "EOF");
        assert!(error
            .message(input)
            .ends_with(&format!("{input}\n{}^", " ".repeat(input.len()))));
        let error = parse("justaword").unwrap_err();
        assert_eq!(
            (error.expected.as_str(), error.received.as_str()),
            ("=", "EOF")
        );
    }
}
