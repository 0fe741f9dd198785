//! The sandbox pane. Until the sandbox's own panels arrive, it shows the
//! chapter's key concepts, and for the chapters whose rules the model
//! already holds, live panels drawn from the model.

use dockyard_course::chapter;
use yew::prelude::*;

use super::model_panels::{
    CsiMatrix, FargateSizes, ImageReference, PodSizer, VolumeMatrix, WhoCalls,
};
use super::{MarkdownView, TaskDefinitionChecker};

#[derive(Properties, PartialEq)]
pub struct ConceptsPaneProps {
    pub chapter: &'static str,
}

#[function_component(ConceptsPane)]
pub fn concepts_pane(props: &ConceptsPaneProps) -> Html {
    let Some(current) = chapter(props.chapter) else {
        return html! {};
    };
    let model_panel = match current.slug {
        "ecs-iam" | "summary" => html! { <WhoCalls /> },
        "fargate" | "ecs-launch-types" => html! { <FargateSizes /> },
        "ecs-core-concepts" => html! { <TaskDefinitionChecker /> },
        "ecr" | "docker-basics" => html! { <ImageReference /> },
        "eks-data-volumes" => html! { <CsiMatrix /> },
        "ecs-data-volumes" => html! { <VolumeMatrix /> },
        "eks-node-types" => html! { <PodSizer /> },
        _ => html! {},
    };
    html! {
        <aside class="sandbox" aria-label="Key concepts">
            { model_panel }
            <section class="panel">
                <MarkdownView tree={current.concepts} class="concepts" />
            </section>
        </aside>
    }
}
