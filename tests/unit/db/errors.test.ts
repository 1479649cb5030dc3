import { describe, expect, it } from 'vitest'
import { DbError, toDbError } from '../../../db/errors.ts'
import { expectError } from './error-assertions.ts'

function failure(code: string): Error {
  return Object.assign(new Error(`low-level ${code}`), { code })
}

describe('toDbError', () => {
  it.each([
    ['SQLITE_FULL', 'DISK_FULL', /is full/],
    ['ENOSPC', 'DISK_FULL', /is full/],
    ['SQLITE_READONLY', 'DB_READ_ONLY', /read-only/],
    ['SQLITE_READONLY_DBMOVED', 'DB_READ_ONLY', /read-only/],
    ['EROFS', 'DB_READ_ONLY', /read-only/],
    ['SQLITE_CANTOPEN', 'DB_READ_ONLY', /cannot be opened for writing/],
    ['SQLITE_IOERR_WRITE', 'DB_IO_ERROR', /failed with a disk error \(SQLITE_IOERR\)/],
    ['SQLITE_BUSY', 'DB_LOCKED', /locked by another ResNet Workbench process/],
    ['SQLITE_NOTADB', 'DB_CORRUPT', /is not a ResNet Workbench workspace database/],
    ['SQLITE_CORRUPT_INDEX', 'DB_CORRUPT', /damaged/],
  ])('turns %s into %s naming the file', (code, expected, phrase) => {
    const error = toDbError(failure(code), '/ws/workspace.sqlite')
    expect(error).toBeInstanceOf(DbError)
    expectError(error, expected, phrase)
    expect((error as DbError).message).toContain("'/ws/workspace.sqlite'")
    expect((error as DbError).cause).toMatchObject({ code })
  })

  it('returns other errors unchanged', () => {
    const constraint = failure('SQLITE_CONSTRAINT_UNIQUE')
    const plain = new TypeError('bug')
    expect(toDbError(constraint, 'f')).toBe(constraint)
    expect(toDbError(plain, 'f')).toBe(plain)
    expect(toDbError('a string', 'f')).toBe('a string')
  })

  it('keeps a DbError as it is', () => {
    const error = new DbError('DB_FROM_FUTURE', 'newer')
    expect(toDbError(error, 'f')).toBe(error)
  })
})
