/** A Socket.IO adapter's room index on this process: room name → ids of the sockets in it. */
export type RoomIndex = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Whether an emit to `rooms` but not `except` would reach any socket connected to this process.
 * Answers are remembered per (rooms, except) pair, since one commit asks the same question for
 * each of its incidents; a checker lives for one commit, while the rooms do not change.
 */
export function localAudience(index: RoomIndex): (rooms: readonly string[], except: readonly string[]) => boolean {
  const answers = new Map<string, boolean>();
  return (rooms, except) => {
    const key = `${rooms.join('\n')}\t${except.join('\n')}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = anyoneIn(index, rooms, except);
      answers.set(key, answer);
    }
    return answer;
  };
}

function anyoneIn(index: RoomIndex, rooms: readonly string[], except: readonly string[]): boolean {
  const excluded = except.map((room) => index.get(room)).filter((ids): ids is ReadonlySet<string> => ids !== undefined);
  for (const room of rooms) {
    for (const id of index.get(room) ?? []) {
      if (!excluded.some((ids) => ids.has(id))) return true;
    }
  }
  return false;
}
