import * as core from '@actions/core'
import { getOctokit } from '@actions/github'
import { createClient } from 'jira.js/core'
import { searchAndReconsileIssuesUsingJql, doTransition } from 'jira.js/cloud'
export async function run(): Promise<void> {
  core.info(String(typeof getOctokit) + typeof createClient + typeof searchAndReconsileIssuesUsingJql + typeof doTransition)
}
