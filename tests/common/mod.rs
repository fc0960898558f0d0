//! Helpers shared by the language tests.

use async_playground::program::{Program, SourceExpr, Span, Task, TaskKind};

/// The program with every span set to [`Span::NONE`], to compare structure.
pub fn strip(mut program: Program) -> Program {
    for def in &mut program.sources {
        def.span = Span::NONE;
        def.name_span = Span::NONE;
        strip_source(&mut def.body);
    }
    program.statements.iter_mut().for_each(strip_task);
    program
}

fn strip_task(task: &mut Task) {
    task.span = Span::NONE;
    match &mut task.kind {
        TaskKind::Aggregate { source, .. } => strip_source(source),
        TaskKind::Group { children, .. } => children.iter_mut().for_each(strip_task),
        TaskKind::Repeat { task, .. } => strip_task(task),
    }
}

fn strip_source(source: &mut SourceExpr) {
    source.span = Span::NONE;
    source.inputs_mut().iter_mut().for_each(strip_source);
}
