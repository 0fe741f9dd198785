//! The sandbox as a state machine, with no browser in it: a learner's
//! [`Session`] played on the model, with undo, redo, reset, seeking and the
//! lesson's verdict. The app's sandbox only draws it and runs its clock, so
//! everything here is tested natively.
//!
//! Two things are kept up to date so that the UI need not recompute them on
//! every frame. The lesson is judged once per change: after a command, undo,
//! redo, reset or seek, and while the clock runs only when it crosses
//! something that happens in the world (an event). And [`SessionPlayer::revision`]
//! counts the changes worth saving; the clock running on is not one of them
//! (the UI saves the clock when it stops), so a playing sandbox does not
//! write to storage ten times a second.

use dockyard_model::sim::scenario::{Player, Scenario, Step};
use dockyard_model::sim::{Command, Millis, Rejection, World};

use crate::lessons::{self, Judged, Lesson};
use crate::session::{Session, MAX_STEPS};

/// Why a learner's command was not added to the session.
#[derive(Clone, Debug, PartialEq)]
pub enum CommandError {
    /// The session already holds [`MAX_STEPS`] commands.
    Full,
    /// The model refused the command.
    Refused(Rejection),
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandError::Full => write!(
                f,
                "A session holds at most {MAX_STEPS} changes of yours: undo some, or reset, to make more."
            ),
            CommandError::Refused(rejection) => write!(f, "Refused: {}", rejection.message),
        }
    }
}

/// A session being played: what the sandbox shows and changes. Every change
/// goes through its methods, so that the verdict and the revision stay true.
pub struct SessionPlayer {
    session: Session,
    /// Where the session starts (the shipped scenario, or the lesson's
    /// start), without the learner's commands.
    start: Scenario,
    /// `start` with the learner's commands after its own: what is played.
    scenario: Scenario,
    player: Player,
    /// The session's lesson (the shipped lessons are parsed once, so the UI
    /// can hand it to a panel without parsing or copying it).
    lesson: Option<&'static Lesson>,
    /// The lesson's goal on the current world (empty without a lesson).
    judged: Vec<Judged>,
    revision: u64,
}

impl SessionPlayer {
    /// Plays a session to its clock. The session must name a shipped
    /// scenario and, if any, a sandbox lesson on it, as [`Session::parse`]
    /// checks.
    pub fn new(session: Session) -> SessionPlayer {
        let lesson = session.lesson.as_deref().and_then(lessons::lesson);
        let start = session.start(lesson);
        let scenario = with_steps(&start, &session.steps);
        let player = replay(&scenario, session.at);
        let mut this = SessionPlayer {
            session,
            start,
            scenario,
            player,
            lesson,
            judged: Vec::new(),
            revision: 0,
        };
        this.judge();
        this
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The scenario as played: its own steps, then the learner's.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The model's player: the world, its events, refusals and timeline.
    pub fn player(&self) -> &Player {
        &self.player
    }

    pub fn world(&self) -> &World {
        &self.player.world
    }

    pub fn now(&self) -> Millis {
        self.player.now()
    }

    /// The scenario's end, in simulated milliseconds.
    pub fn until(&self) -> Millis {
        self.scenario.until * 1000
    }

    pub fn at_end(&self) -> bool {
        self.now() >= self.until()
    }

    pub fn lesson(&self) -> Option<&'static Lesson> {
        self.lesson
    }

    /// Each condition of the lesson's goal on the current world, judged at
    /// the last change (empty without a lesson).
    pub fn judged(&self) -> &[Judged] {
        &self.judged
    }

    /// Whether the session has a lesson and its whole goal is met.
    pub fn goal_met(&self) -> bool {
        self.lesson.is_some() && lessons::all_met(&self.judged)
    }

    pub fn can_undo(&self) -> bool {
        !self.session.steps.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.session.redo.is_empty()
    }

    /// Goes up by one with each change worth saving (a command, undo, redo,
    /// reset, seek or a new session), and never as the clock runs on: the
    /// UI saves when it differs from the revision it last saved.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Applies a learner's command at the next whole simulated second: the
    /// session with the command is replayed, and kept only if the model
    /// accepted it. A new command forgets what was undone.
    pub fn command(&mut self, command: Command) -> Result<(), CommandError> {
        if self.session.steps.len() >= MAX_STEPS {
            return Err(CommandError::Full);
        }
        let at = self.now().div_ceil(1000);
        let mut candidate = self.session.clone();
        candidate.steps.push(Step { at, command });
        candidate.at = at * 1000;
        let scenario = with_steps(&self.start, &candidate.steps);
        let index = scenario.steps.len() - 1;
        let player = replay(&scenario, candidate.at);
        if let Some(refused) = player.refused.iter().find(|r| r.step == index) {
            return Err(CommandError::Refused(refused.rejection.clone()));
        }
        self.scenario = scenario;
        self.player = player;
        self.session = candidate;
        self.session.redo.clear();
        self.changed();
        Ok(())
    }

    /// Writes (or replaces) one of the learner's files.
    pub fn write_file(&mut self, path: &str, text: String) -> Result<(), String> {
        crate::session::check_path(path)?;
        if text.len() > crate::session::MAX_FILE_BYTES {
            return Err(format!(
                "{path}: a file holds at most {} bytes",
                crate::session::MAX_FILE_BYTES
            ));
        }
        let files = &mut self.session.files;
        if !files.contains_key(path) && files.len() >= crate::session::MAX_FILES {
            return Err(format!(
                "{path}: a session holds at most {} files; remove one first",
                crate::session::MAX_FILES
            ));
        }
        files.insert(path.to_string(), text);
        self.revision += 1;
        Ok(())
    }

    /// Removes one of the learner's files; false if there was none.
    pub fn remove_file(&mut self, path: &str) -> bool {
        let removed = self.session.files.remove(path).is_some();
        if removed {
            self.revision += 1;
        }
        removed
    }

    /// Remembers a terminal command (the oldest go past the limit). Not a
    /// change of the world: the revision stays, and the page saves the
    /// history itself when it grows.
    pub fn remember(&mut self, command: &str) {
        let history = &mut self.session.history;
        if history.last().map(String::as_str) == Some(command) || command.trim().is_empty() {
            return;
        }
        history.push(command.to_string());
        let excess = history.len().saturating_sub(crate::session::MAX_HISTORY);
        history.drain(..excess);
    }

    /// Takes back the last command, keeping the clock; false if there was none.
    pub fn undo(&mut self) -> bool {
        let Some(step) = self.session.steps.pop() else {
            return false;
        };
        self.session.redo.push(step);
        self.replay();
        true
    }

    /// Brings back the last undone command; false if there was none.
    pub fn redo(&mut self) -> bool {
        let Some(step) = self.session.redo.pop() else {
            return false;
        };
        self.session.steps.push(step);
        self.replay();
        true
    }

    /// Back to the start, without the learner's commands, which redo brings
    /// back one by one in the order they were given.
    pub fn reset(&mut self) {
        let mut steps = std::mem::take(&mut self.session.steps);
        steps.reverse();
        self.session.redo.extend(steps);
        self.session.at = 0;
        self.replay();
    }

    /// Replaces the session with another (an imported file), forgetting
    /// what was undone.
    pub fn replace(&mut self, session: Session) {
        *self = SessionPlayer {
            revision: self.revision + 1,
            ..SessionPlayer::new(session)
        };
    }

    /// Jumps to a simulated time (clamped to the end): forward by playing
    /// on, back by replaying from the start (the model is deterministic).
    pub fn seek(&mut self, to: Millis) {
        let before = self.now();
        self.move_clock(to);
        if self.now() != before {
            self.changed();
        }
    }

    /// The clock running on by `by` (clamped to the end). The lesson is
    /// judged again only if something happened; the session is not marked
    /// for saving. Returns whether anything happened.
    pub fn play_for(&mut self, by: Millis) -> bool {
        let happened = self.move_clock(self.now() + by);
        if happened {
            self.judge();
        }
        happened
    }

    /// Moves the clock, returning whether any event happened on the way.
    fn move_clock(&mut self, to: Millis) -> bool {
        let to = to.min(self.until());
        if to < self.now() {
            self.player = Player::new(&self.scenario, None);
        }
        let happened = self.player.advance_to(to) > 0;
        self.session.at = self.now();
        happened
    }

    /// Plays the session afresh from the start to its clock.
    fn replay(&mut self) {
        self.scenario = with_steps(&self.start, &self.session.steps);
        self.player = replay(&self.scenario, self.session.at);
        self.changed();
    }

    fn changed(&mut self) {
        self.revision += 1;
        self.judge();
    }

    fn judge(&mut self) {
        self.judged = match &self.lesson {
            Some(lesson) => lesson.judge(&self.player.world),
            None => Vec::new(),
        };
    }
}

fn with_steps(start: &Scenario, steps: &[Step]) -> Scenario {
    let mut scenario = start.clone();
    scenario.steps.extend(steps.iter().cloned());
    scenario
}

fn replay(scenario: &Scenario, to: Millis) -> Player {
    let mut player = Player::new(scenario, None);
    player.advance_to(to);
    player
}

#[cfg(test)]
mod tests {
    use dockyard_model::sim::scenario::digest;

    use super::*;

    /// Simulated milliseconds per animation tick at the sandbox's default
    /// speed (60x, a tick every 100 ms).
    const TICK: Millis = 6_000;

    fn lose(az: &str) -> Command {
        Command::LoseAz { az: az.into() }
    }

    fn digest_of(player: &SessionPlayer) -> String {
        digest(&player.player().events)
    }

    /// az-outage with the learner losing a second zone at minute 3 and
    /// scaling the service at minute 7, played on to minute 12 in ticks.
    fn played() -> SessionPlayer {
        let mut player = SessionPlayer::new(Session::new("az-outage"));
        player.seek(180_000);
        player.command(lose("us-east-1b")).unwrap();
        while player.now() < 420_000 {
            player.play_for(TICK);
        }
        let service = player.world().services().next().unwrap().name.clone();
        player
            .command(Command::UpdateService {
                service,
                desired_count: 5,
            })
            .unwrap();
        while player.now() < 720_000 {
            player.play_for(TICK);
        }
        player
    }

    #[test]
    fn replaying_a_session_gives_the_world_that_playing_it_gave() {
        let player = played();
        assert_eq!(player.session().steps.len(), 2);
        let replayed = SessionPlayer::new(player.session().clone());
        assert_eq!(replayed.now(), player.now());
        assert_eq!(digest_of(&replayed), digest_of(&player));
        assert_eq!(replayed.player().timeline, player.player().timeline);
        assert_eq!(replayed.world().cost(), player.world().cost());
        // And the model's own run of the same scenario agrees.
        let run = player.scenario().run(None, Some(720));
        assert_eq!(run.digest, digest_of(&player));
    }

    #[test]
    fn undo_then_redo_gives_back_the_same_world() {
        let mut player = played();
        let before = digest_of(&player);
        assert!(player.undo());
        assert_eq!(player.session().steps.len(), 1);
        assert_eq!(player.now(), 720_000, "undo keeps the clock");
        assert_ne!(digest_of(&player), before);
        assert!(player.redo());
        assert_eq!(digest_of(&player), before);
        assert!(!player.redo(), "nothing more to redo");
        // A new command forgets what was undone.
        player.undo();
        player.command(lose("us-east-1c")).unwrap();
        assert!(!player.can_redo());
    }

    /// Issue 20, item 5: what was undone survives a reload (the session as
    /// saved, read back), but not a share link.
    #[test]
    fn redo_survives_saving_and_reading_back_but_not_a_share_link() {
        let mut player = played();
        let before = digest_of(&player);
        player.undo();
        let saved = player.session().to_json();
        let mut reloaded = SessionPlayer::new(Session::parse(&saved).unwrap());
        assert!(reloaded.can_redo());
        assert!(reloaded.redo());
        assert_eq!(digest_of(&reloaded), before);
        let link = crate::session::percent_decode(&player.session().to_link());
        assert!(!SessionPlayer::new(Session::parse(&link).unwrap()).can_redo());
        // A file that claims more undone commands than a session may hold
        // is refused by name.
        let mut full = player.session().clone();
        full.redo = vec![full.steps[0].clone(); crate::session::MAX_STEPS];
        let error = Session::parse(&full.to_json()).unwrap_err();
        assert!(error.starts_with("redo: at most"), "{error}");
    }

    #[test]
    fn reset_goes_to_the_start_and_redo_brings_the_steps_back_in_order() {
        let mut player = played();
        let (steps, at, before) = (
            player.session().steps.clone(),
            player.now(),
            digest_of(&player),
        );
        player.reset();
        assert_eq!(player.now(), 0);
        assert!(player.session().steps.is_empty() && !player.can_undo());
        assert!(player.player().events.len() < 20, "only the start's events");
        while player.redo() {}
        assert_eq!(player.session().steps, steps);
        player.seek(at);
        assert_eq!(digest_of(&player), before);
    }

    #[test]
    fn seeking_back_then_forward_equals_playing_straight() {
        let mut player = played();
        let straight = digest_of(&player);
        player.seek(240_000);
        assert_eq!(player.now(), 240_000);
        assert_eq!(player.session().at, 240_000);
        assert_eq!(player.player().timeline.len(), 4);
        player.seek(720_000);
        assert_eq!(digest_of(&player), straight);
        // Past the end is the end.
        player.seek(u64::MAX / 2);
        assert!(player.at_end());
        assert_eq!(player.now(), player.until());
    }

    #[test]
    fn a_refused_command_changes_nothing() {
        let mut player = played();
        let (before, revision) = (digest_of(&player), player.revision());
        let error = player.command(lose("mars-1a")).unwrap_err();
        assert!(matches!(error, CommandError::Refused(_)));
        assert!(error.to_string().starts_with("Refused: "), "{error}");
        assert_eq!(digest_of(&player), before);
        assert_eq!(player.revision(), revision);
        assert_eq!(player.session().steps.len(), 2);
    }

    #[test]
    fn a_full_session_takes_no_more_commands() {
        let mut session = Session::new("az-outage");
        session.steps = vec![
            Step {
                at: 0,
                command: lose("us-east-1a"),
            };
            MAX_STEPS
        ];
        let mut player = SessionPlayer::new(session);
        assert_eq!(player.command(lose("us-east-1b")), Err(CommandError::Full));
        assert!(CommandError::Full.to_string().contains("at most 500"));
    }

    /// Plays each sandbox lesson's reference solution and its named wrong
    /// answer through the player, as a learner would: seek to each step's
    /// time, give its command, then seek to when the lesson is checked.
    #[test]
    fn a_lesson_is_met_after_its_solution_and_not_after_the_wrong_answer() {
        let mut played = 0;
        for lesson in lessons::lessons() {
            let Some(work) = lesson.sandbox() else {
                continue;
            };
            let answers = [
                (&work.solution, lesson.solution(), true),
                (&work.wrong, lesson.wrong(), false),
            ];
            for (steps, answer, right) in answers {
                let mut player = SessionPlayer::new(Session::for_lesson(&lesson.id, work));
                assert_eq!(player.judged().len(), lesson.goal.len(), "{}", lesson.id);
                assert!(!player.goal_met(), "{}: met at the start", lesson.id);
                for step in steps.iter() {
                    player.seek(step.at * 1000);
                    let given = player.command(step.command.clone());
                    // The wrong answer may hold a command the model refuses,
                    // which the sandbox (like `Lesson::check`) leaves out.
                    assert!(given.is_ok() || !right, "{}: {given:?}", lesson.id);
                }
                player.seek(work.check_at * 1000);
                assert_eq!(
                    player.goal_met(),
                    right,
                    "{}: {:?}",
                    lesson.id,
                    player.judged()
                );
                assert_eq!(
                    player.judged(),
                    lesson.check(&answer).unwrap().as_slice(),
                    "{}: the same verdict as the lesson's own check",
                    lesson.id
                );
            }
            played += 1;
        }
        assert!(played >= 10, "{played} sandbox lessons");
    }

    /// The verdict kept by the player, judged only when something happens,
    /// is the one a fresh judgement gives at every tick.
    #[test]
    fn judging_once_per_change_misses_nothing_while_the_clock_runs() {
        for lesson in lessons::lessons() {
            let Some(work) = lesson.sandbox() else {
                continue;
            };
            let mut session = Session::for_lesson(&lesson.id, work);
            session.steps = work.solution.clone();
            let mut player = SessionPlayer::new(session);
            while player.now() < work.check_at * 1000 {
                player.play_for(TICK);
                assert_eq!(
                    player.judged(),
                    lesson.judge(player.world()).as_slice(),
                    "{} at {} ms",
                    lesson.id,
                    player.now()
                );
            }
            assert!(player.goal_met(), "{}", lesson.id);
        }
    }

    #[test]
    fn only_changes_ask_for_a_save_not_the_clock_running() {
        let mut player = SessionPlayer::new(Session::new("az-outage"));
        let mut revision = player.revision();
        let mut changes = |player: &SessionPlayer, expected: bool, what: &str| {
            assert_eq!(player.revision() != revision, expected, "{what}");
            revision = player.revision();
        };
        let mut quiet = 0;
        for _ in 0..100 {
            if !player.play_for(TICK) {
                quiet += 1;
            }
            changes(&player, false, "a tick");
        }
        assert!(quiet > 0, "some ticks change nothing in the world");
        assert_eq!(
            player.session().at,
            100 * TICK,
            "the session keeps the clock"
        );
        player.seek(player.now());
        changes(&player, false, "a seek to where the clock is");
        player.seek(60_000);
        changes(&player, true, "a seek");
        player.command(lose("us-east-1b")).unwrap();
        changes(&player, true, "a command");
        let _ = player.command(lose("nowhere"));
        changes(&player, false, "a refused command");
        assert!(player.undo());
        changes(&player, true, "undo");
        assert!(!player.undo());
        changes(&player, false, "undo with nothing to undo");
        assert!(player.redo());
        changes(&player, true, "redo");
        player.reset();
        changes(&player, true, "reset");
        player.replace(Session::new("az-outage"));
        changes(&player, true, "another session");
        player.play_for(TICK);
        changes(&player, false, "a tick after all that");
    }
}
