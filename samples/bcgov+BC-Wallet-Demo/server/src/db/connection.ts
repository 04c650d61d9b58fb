import mongoose from 'mongoose'

export async function connectDB(): Promise<void> {
  await mongoose.connect(process.env.DB_URI ?? 'mongodb://localhost:27017/showcase')
}
