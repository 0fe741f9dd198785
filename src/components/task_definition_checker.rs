//! Paste a task definition (or describe-task-definition output) and read
//! the verdict AWS would give, finding by finding. The draft is kept in
//! this browser so that a reload never loses it.

use dockyard_course::storage::Key;
use dockyard_model::taskdef::{self, Severity};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::storage;

/// A Fargate definition with one mistake a learner meets early: 0.25 vCPU
/// with 4 GB is not on the size menu.
pub(crate) const EXAMPLE: &str = r#"{
  "family": "web",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "256",
  "memory": "4096",
  "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
  "containerDefinitions": [
    {
      "name": "web",
      "image": "nginx:1.27",
      "essential": true,
      "portMappings": [{ "containerPort": 80 }],
      "logConfiguration": {
        "logDriver": "awslogs",
        "options": {
          "awslogs-group": "/ecs/web",
          "awslogs-region": "us-east-1",
          "awslogs-stream-prefix": "web"
        }
      }
    }
  ]
}"#;

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "verdict denied",
        Severity::Warning => "verdict warning",
        Severity::Note => "verdict neutral",
    }
}

#[function_component(TaskDefinitionChecker)]
pub fn task_definition_checker() -> Html {
    let text = use_state(|| {
        // Raw text, so that even invalid JSON survives.
        storage::read(Key::Checker).unwrap_or_else(|| EXAMPLE.to_string())
    });
    let on_input = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            let value = area.value();
            // Storage can be full or refused; the draft then lives only in the page.
            let _ = storage::save(Key::Checker, &value);
            text.set(value);
        })
    };
    let on_reset = {
        let text = text.clone();
        Callback::from(move |_: MouseEvent| {
            storage::forget(Key::Checker);
            text.set(EXAMPLE.to_string());
        })
    };
    let verdict = match taskdef::check(&text) {
        Err(error) => html! {
            <p class="checker-summary" role="status">
                <span class="verdict denied">{ "Not JSON" }</span>
                { format!(" Line {}, column {}: {}.", error.line, error.column, error.message) }
            </p>
        },
        Ok(imported) => {
            let errors = taskdef::count(&imported.findings, Severity::Error);
            let summary = if errors == 0 {
                html! { <><span class="verdict allowed">{ "Valid" }</span>{ " AWS would register this task definition." }</> }
            } else {
                html! {
                    <>
                        <span class="verdict denied">{ format!("{errors} error{}", if errors == 1 { "" } else { "s" }) }</span>
                        { " AWS would refuse this task definition." }
                    </>
                }
            };
            html! {
                <>
                    <p class="checker-summary" role="status">{ summary }</p>
                    <ul class="findings">
                        { for imported.findings.iter().map(|finding| html! {
                            <li class="finding">
                                <span class={severity_class(finding.severity)}>{ finding.severity.label() }</span>
                                <code class="finding-path">{ if finding.path.is_empty() { "(whole file)".to_string() } else { finding.path.clone() } }</code>
                                <span class="finding-message">{ finding.message.clone() }</span>
                                { super::task_definition_editor::aws_answer(finding.code) }
                                <a class="finding-code" href={crate::route::href(&format!("findings/{}/", finding.code))}>{ format!("Why? ({})", finding.code) }</a>
                            </li>
                        }) }
                    </ul>
                </>
            }
        }
    };
    html! {
        <section class="panel model-panel checker" aria-labelledby="checker-heading">
            <h2 id="checker-heading">{ "Check a task definition" }</h2>
            <p class="panel-lead">
                { "Paste RegisterTaskDefinition JSON, or what " }<code>{ "aws ecs describe-task-definition" }</code>
                { " printed. The verdict is the one AWS would give." }
            </p>
            <label class="visually-hidden" for="checker-text">{ "Task definition JSON" }</label>
            <textarea id="checker-text" class="checker-text" spellcheck="false" wrap="off" rows="14" value={(*text).clone()} oninput={on_input} />
            <div class="checker-actions">
                <button type="button" onclick={on_reset}>{ "Restore the example" }</button>
            </div>
            { verdict }
        </section>
    }
}
