//! A workflow expression resolved against a rate card: each parsed step (`workflow`)
//! checked (the service exists and is current, its step count is one it is priced for)
//! and turned into a [`Step`] the engine prices. Errors point at the step in the
//! expression.

use crate::engine::{self, Step};
use crate::error::UserError;
use crate::rates::RateCard;
use crate::workflow::{ParseError, StepExpr, Workflow, parse};

/// An expression with every step checked against a card: `steps[i]` is
/// `workflow.steps[i]`, ready to price.
#[derive(Debug, Clone)]
pub struct Pipeline<'c> {
    pub workflow: Workflow,
    pub steps: Vec<Step<'c>>,
}

/// Parses `expr` and resolves it against `card`: the one way a command turns a step
/// expression into steps to price. Errors show the expression with a caret under the
/// bad spot.
pub fn compile<'c>(card: &'c RateCard, expr: &str) -> Result<Pipeline<'c>, UserError> {
    let workflow = parse(expr).map_err(|e| e.into_user_error(expr))?;
    let steps = resolve(card, &workflow).map_err(|e| e.into_user_error(expr))?;
    Ok(Pipeline { workflow, steps })
}

/// Checks every step against `card`: the service exists and is current, and its step
/// count (if any) is one it is priced for. Errors point at the step.
pub fn resolve<'c>(card: &'c RateCard, workflow: &Workflow) -> Result<Vec<Step<'c>>, ParseError> {
    workflow
        .steps
        .iter()
        .map(|s| resolve_step(card, s))
        .collect()
}

/// Like [`resolve`], but checks every step and returns every bad one, for reports that
/// list all problems at once (plan files).
pub fn resolve_all<'c>(
    card: &'c RateCard,
    workflow: &Workflow,
) -> Result<Vec<Step<'c>>, Vec<ParseError>> {
    let mut steps = Vec::with_capacity(workflow.steps.len());
    let mut errors = Vec::new();
    for s in &workflow.steps {
        match resolve_step(card, s) {
            Ok(step) => steps.push(step),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(steps)
    } else {
        Err(errors)
    }
}

/// One step checked against `card`.
fn resolve_step<'c>(card: &'c RateCard, s: &StepExpr) -> Result<Step<'c>, ParseError> {
    let at_name = |e: UserError| ParseError {
        message: e.message,
        span: s.name_span.clone(),
        hints: e.hints,
    };
    let service = card.resolve(&s.name).map_err(at_name)?;
    engine::unit_price(service, s.steps).map_err(|e| ParseError {
        message: e.message,
        span: s.steps_span.clone().unwrap_or_else(|| s.name_span.clone()),
        hints: e.hints,
    })?;
    Ok(Step {
        service,
        steps: s.steps,
        multiplier: s.multiplier,
    })
}
