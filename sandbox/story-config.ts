/** The `.github/jira-warden.yml` of the sandbox repository: a pull request's life, as the demo, the tests and the bench tell it. */
export const STORY_CONFIG = `projects: [PROJ, OPS]
transitions:
  - on: pull_request.opened
    to: In Progress
  - on: pull_request_review.submitted
    if: approved
    to: In Review
  - on: pull_request.closed
    if: merged
    to: Done
    fields:
      resolution: Done
  - on: deployment_status
    if: success
    environment: production
    to: Released
  - on: release.published
    to: Released
  - on: push
    branch: "feature/**"
    to: In Progress
comment: "{{ event }} by {{ actor }}"
`
