// Compile check of the generated types (tsc --noEmit): a request body and an answer, typed by the document.
import type { components, paths } from "./agentry";

type TaskCreate = components["schemas"]["TaskCreate"];
type TaskBody = paths["/api/v1/tasks/{task_id}"]["get"]["responses"][200]["content"]["application/json"];
type Problem = components["schemas"]["Problem"];
type Conflict = paths["/api/v1/tasks/{task_id}/cancel"]["post"]["responses"][409]["content"]["application/problem+json"];

export const submit: TaskCreate = { title: "Fix the build", prompt: "Make the tests pass", tags: ["ci"] };

export function describe(task: TaskBody): string {
  return `${task.title}: ${task.status}`;
}

export function explain(problem: Problem | Conflict): string {
  return `${problem.status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ""}`;
}

// @ts-expect-error: an unknown field is refused by the document (additionalProperties: false)
export const refused: TaskCreate = { title: "x", prompt: "y", colour: "blue" };
