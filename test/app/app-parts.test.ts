import { describe, expect, test } from 'vitest'
import { DeliveryOutcomes } from '../../src/app/delivery-outcomes.ts'
import { SeenDeliveries } from '../../src/app/seen-deliveries.ts'
import { requestingCommentIn, ROTATION_RUN_NAME } from '../../src/app/workflow-run-result.ts'

describe('requestingCommentIn: the comment a rotation run answers, from its title', () => {
  const url = 'https://github.com/acme/shop/issues/12#issuecomment-1500000001'
  test.each<[string, string, ReturnType<typeof requestingCommentIn>]>([
    ['the run-name the docs give', `jira-warden rotate  ${url}`, { issueNumber: 12, commentId: 1500000001, url, command: 'rotate' }],
    ['revoke, dispatched as finish, with a fingerprint', `jira-warden finish 0123456789ab ${url}`, { issueNumber: 12, commentId: 1500000001, url, command: 'revoke' }],
    ['a pull request thread', 'jira-warden verify  https://github.com/acme/shop/pull/7#issuecomment-9', { issueNumber: 7, commentId: 9, url: 'https://github.com/acme/shop/pull/7#issuecomment-9', command: 'verify' }],
    ['case differs in the repository name', `jira-warden rotate  https://github.com/ACME/Shop/issues/12#issuecomment-1`, { issueNumber: 12, commentId: 1, url: 'https://github.com/ACME/Shop/issues/12#issuecomment-1', command: 'rotate' }],
    ['another repository', 'jira-warden rotate  https://github.com/evil/shop/issues/12#issuecomment-1', undefined],
    ['a look-alike repository name', 'jira-warden rotate  https://github.com/acme/shop-x/issues/12#issuecomment-1', undefined],
    ['no comment anchor', 'jira-warden rotate  https://github.com/acme/shop/issues/12', undefined],
    ['an ordinary run title', 'Update README.md', undefined],
  ])('%s', (_name, title, expected) => {
    expect(requestingCommentIn(title, 'acme/shop')).toEqual(expected)
  })

  test('the documented run-name names command, fingerprint and comment', () => {
    expect(ROTATION_RUN_NAME).toBe('jira-warden ${{ inputs.command }} ${{ inputs.fingerprint }} ${{ inputs.comment }}')
  })
})

describe('SeenDeliveries', () => {
  test('a key is new once, and memory stays bounded', () => {
    const seen = new SeenDeliveries(3)
    expect(seen.firstTime('a')).toBe(true)
    expect(seen.firstTime('a')).toBe(false)
    for (const key of ['b', 'c', 'd']) seen.firstTime(key)
    // 'a' was the oldest and has been forgotten; the GitHub reaction claim still stops a second run.
    expect(seen.firstTime('a')).toBe(true)
    expect(seen.firstTime('d')).toBe(false)
  })
})

describe('DeliveryOutcomes', () => {
  test('an outcome is read once; the oldest are dropped past capacity', () => {
    const outcomes = new DeliveryOutcomes(2)
    outcomes.note('1', 'one')
    outcomes.note('2', 'two')
    outcomes.note('3', 'three')
    expect(outcomes.take('1')).toBeUndefined()
    expect(outcomes.take('3')).toBe('three')
    expect(outcomes.take('3')).toBeUndefined()
  })
})
