//! A timed practice exam: questions from every chapter and hands-on tasks
//! (lessons, whose goals the model judges), weighted, with a score and a
//! review at the end. Drawn from a seed, so the same seed gives the same
//! exam; kept in the browser while it runs (the learner may leave for a
//! task's lesson and come back), read back as untrusted input.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{question, questions, Question};
use crate::lessons::{lesson, lessons, Lesson};

/// How many questions an exam asks, and how many hands-on tasks it sets.
pub const QUESTIONS: usize = 20;
pub const TASKS: usize = 2;
/// A question is worth one point; a hands-on task, five.
pub const QUESTION_POINTS: u32 = 1;
pub const TASK_POINTS: u32 = 5;
/// Time allowed: 90 seconds a question, ten minutes a task.
pub const SECONDS_PER_QUESTION: u64 = 90;
pub const SECONDS_PER_TASK: u64 = 600;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exam {
    pub seed: u64,
    /// When it started, in milliseconds since the Unix epoch.
    pub started: u64,
    pub questions: Vec<String>,
    pub tasks: Vec<String>,
    /// The lessons already done when the exam started: a task counts only
    /// if it is done during the exam.
    #[serde(default)]
    pub done_before: BTreeSet<String>,
    /// The learner's choices, by question id.
    #[serde(default)]
    pub answers: BTreeMap<String, Vec<usize>>,
    /// Set when the learner hands it in (or the time runs out).
    #[serde(default)]
    pub finished: Option<u64>,
    /// Whether its answers have gone into the review queue.
    #[serde(default)]
    pub recorded: bool,
}

/// A small deterministic generator (xorshift64*): the exam's draw needs no
/// more, and the same seed must give the same exam everywhere.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        let mut x = self.0.max(1);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

impl Exam {
    /// Draws an exam: one question from each chapter, the rest from any,
    /// in a shuffled order; hands-on tasks from the sandbox lessons not
    /// yet done (any, if all are).
    pub fn draw(seed: u64, started: u64, done: &BTreeSet<String>) -> Exam {
        let mut draw = Draw(seed ^ 0x9E37_79B9_7F4A_7C15);
        let mut chapters: BTreeMap<&str, Vec<&Question>> = BTreeMap::new();
        for q in questions() {
            chapters.entry(q.chapter).or_default().push(q);
        }
        let mut chosen: Vec<&str> = Vec::new();
        for pool in chapters.values() {
            chosen.push(pool[draw.below(pool.len())].id.as_str());
        }
        let mut rest: Vec<&str> = questions()
            .iter()
            .map(|q| q.id.as_str())
            .filter(|id| !chosen.contains(id))
            .collect();
        draw.shuffle(&mut rest);
        chosen.extend(
            rest.into_iter()
                .take(QUESTIONS.saturating_sub(chosen.len())),
        );
        chosen.truncate(QUESTIONS);
        draw.shuffle(&mut chosen);
        let sandbox: Vec<&Lesson> = lessons().iter().filter(|l| l.sandbox().is_some()).collect();
        let mut open: Vec<&Lesson> = sandbox
            .iter()
            .copied()
            .filter(|l| !done.contains(&l.id))
            .collect();
        if open.len() < TASKS {
            open = sandbox;
        }
        draw.shuffle(&mut open);
        Exam {
            seed,
            started,
            questions: chosen.into_iter().map(str::to_string).collect(),
            tasks: open.iter().take(TASKS).map(|l| l.id.clone()).collect(),
            done_before: done.clone(),
            answers: BTreeMap::new(),
            finished: None,
            recorded: false,
        }
    }

    /// The time allowed, in milliseconds.
    pub fn allowed_ms(&self) -> u64 {
        1000 * (SECONDS_PER_QUESTION * self.questions.len() as u64
            + SECONDS_PER_TASK * self.tasks.len() as u64)
    }

    /// Milliseconds left at `now` (0 once it is over).
    pub fn left_ms(&self, now: u64) -> u64 {
        let end = self.started + self.allowed_ms();
        match self.finished {
            Some(_) => 0,
            None => end.saturating_sub(now),
        }
    }

    /// Whether it is over at `now`: handed in, or out of time.
    pub fn over(&self, now: u64) -> bool {
        self.finished.is_some() || self.left_ms(now) == 0
    }

    /// Records a choice, unless the exam is over.
    pub fn choose(&mut self, id: &str, chosen: Vec<usize>, now: u64) {
        if !self.over(now) && self.questions.iter().any(|q| q == id) {
            self.answers.insert(id.to_string(), chosen);
        }
    }

    pub fn hand_in(&mut self, now: u64) {
        if self.finished.is_none() {
            self.finished = Some(now.min(self.started + self.allowed_ms()));
        }
    }

    /// The score: each question right and each task done during the exam,
    /// weighted; `done` is the lessons done now.
    pub fn score(&self, done: &BTreeSet<String>) -> Score {
        let questions: Vec<(String, bool)> = self
            .questions
            .iter()
            .map(|id| {
                let right = match (question(id), self.answers.get(id)) {
                    (Some(q), Some(chosen)) => q.is_right(chosen),
                    _ => false,
                };
                (id.clone(), right)
            })
            .collect();
        let tasks: Vec<(String, bool)> = self
            .tasks
            .iter()
            .map(|id| {
                (
                    id.clone(),
                    done.contains(id) && !self.done_before.contains(id),
                )
            })
            .collect();
        let points = QUESTION_POINTS * questions.iter().filter(|(_, r)| *r).count() as u32
            + TASK_POINTS * tasks.iter().filter(|(_, d)| *d).count() as u32;
        let total = QUESTION_POINTS * questions.len() as u32 + TASK_POINTS * tasks.len() as u32;
        Score {
            points,
            total,
            questions,
            tasks,
        }
    }

    /// Reads a kept exam; one whose questions or tasks no longer exist is
    /// refused (a new one is drawn).
    pub fn parse(text: &str) -> Result<Exam, String> {
        if text.len() > 64 * 1024 {
            return Err("the exam is over 64 KiB".into());
        }
        let exam: Exam = serde_json::from_str(text).map_err(|e| format!("the exam: {e}"))?;
        if let Some(gone) = exam.questions.iter().find(|id| question(id).is_none()) {
            return Err(format!(
                "the exam asks {gone}, which is no longer a question"
            ));
        }
        if let Some(gone) = exam.tasks.iter().find(|id| lesson(id).is_none()) {
            return Err(format!("the exam sets {gone}, which is no longer a lesson"));
        }
        if exam.questions.len() > QUESTIONS || exam.tasks.len() > TASKS {
            return Err("the exam is larger than Dockyard draws".into());
        }
        Ok(exam)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an exam serializes")
    }
}

/// An exam's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Score {
    pub points: u32,
    pub total: u32,
    /// Each question, and whether it was answered right.
    pub questions: Vec<(String, bool)>,
    /// Each task, and whether its lesson was done during the exam.
    pub tasks: Vec<(String, bool)>,
}

impl Score {
    pub fn percent(&self) -> u32 {
        (100 * self.points).checked_div(self.total).unwrap_or(0)
    }
}
