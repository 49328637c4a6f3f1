const greeting: string = 'hello from ts';
console.log(greeting);
