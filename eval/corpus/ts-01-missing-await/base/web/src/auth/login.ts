import { fetchUser } from "./users";

export async function greeting(id: string): Promise<string> {
  const user = await fetchUser(id);
  return `Hello, ${user.name}`;
}
