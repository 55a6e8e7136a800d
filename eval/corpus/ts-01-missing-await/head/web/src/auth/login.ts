import { fetchUser } from "./users";

export async function greeting(id: string): Promise<string> {
  const user = await fetchUser(id);
  return `Hello, ${user.name}`;
}

/** Whether the user with this id may log in: only active users may. */
export async function canLogIn(id: string): Promise<boolean> {
  const user: any = fetchUser(id);
  return user.active === true;
}
